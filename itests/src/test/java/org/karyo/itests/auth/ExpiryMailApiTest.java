package org.karyo.itests.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import javax.mail.Multipart;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;

/**
 * Expiring-access e-mails from the running platform through a real SMTP server (GreenMail, started by the test run):
 * the job runs every minute on the test platform, so an access that ends within 30 days brings its holder one e-mail
 * with a plain-text and an HTML part.
 */
@ExtendWith(SharedPlatform.class)
class ExpiryMailApiTest {

    @Test
    void anAccessEndingWithinThirtyDaysBringsItsHolderOneMail(Platform platform) throws Exception {
        Api admin = platform.admin();
        GreenMail smtp = SharedPlatform.smtpServer();
        String username = "expiring-" + UUID.randomUUID().toString().substring(0, 8);
        String email = username + "@hospital.example.org";
        Api.Response user = admin.post(
                "/users",
                Api.JSON
                        .createObjectNode()
                        .put("username", username)
                        .put("firstname", "Expiring")
                        .put("lastname", "Access")
                        .put("email", email)
                        .toString());
        assertThat(user.status()).as(user.toString()).isEqualTo(201);
        long role = admin.post(
                        "/accesses/roles",
                        "{\"name\":\"expiring-" + username + "\",\"rights\":[\"accesses.read_patient_pseudonymized\"]}")
                .json()
                .path("id")
                .asLong();
        long root = admin.get("/accesses/perimeters?local_id=root")
                .json()
                .path("results")
                .get(0)
                .path("id")
                .asLong();
        Api.Response access = admin.post(
                "/accesses/accesses",
                Api.JSON
                        .createObjectNode()
                        .put("username", username)
                        .put("role_id", role)
                        .put("perimeter_id", root)
                        .put(
                                "end_datetime",
                                Instant.now().plus(20, ChronoUnit.DAYS).toString())
                        .toString());
        assertThat(access.status()).as(access.toString()).isEqualTo(201);

        MimeMessage mail = null;
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(150).toNanos();
        while (mail == null && System.nanoTime() < deadline) {
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (m.getAllRecipients()[0].toString().equals(email)) {
                    mail = m;
                }
            }
            Thread.sleep(500);
        }
        assertThat(mail).as("an e-mail to " + email).isNotNull();
        assertThat(mail.getContentType()).startsWith("multipart/alternative");
        Multipart parts = (Multipart) mail.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        // One more run of the job (every minute here) must not send it again. This wait, and the one above, go once the
        // platform scheduler lets a test run the task on demand (POST /api/tasks/{name}/run): run it, then run it
        // again.
        Thread.sleep(75_000);
        long toThisUser = java.util.Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> {
                    try {
                        return m.getAllRecipients()[0].toString().equals(email);
                    } catch (javax.mail.MessagingException e) {
                        return false;
                    }
                })
                .count();
        assertThat(toThisUser).as("once per access and threshold").isEqualTo(1);
        // the test outlives an access token (60 s on test platforms): a fresh one for the last call
        assertThat(platform.admin()
                        .get("/audit?action=accesses.alert.sent&limit=100")
                        .body())
                .contains(Long.toString(access.json().path("id").asLong()))
                .doesNotContain(email);
    }
}
