package org.karyo.itests.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;

/**
 * Expiring-access e-mails from the running platform through a real SMTP server (GreenMail, started by the test run):
 * a run of the scheduler task {@code accesses.expiry-alerts}, started through {@code POST /api/tasks/{name}/run}, brings
 * the holder of an access that ends within 30 days one e-mail with a plain-text and an HTML part; a second run sends
 * nothing more.
 */
@ExtendWith(SharedPlatform.class)
class ExpiryMailApiTest {

    private static final String TASK = "accesses.expiry-alerts";

    /** Runs the scheduler task now (a job) and returns the job once it ended. */
    private static JsonNode runTask(Api api) throws InterruptedException {
        Api.Response started = api.post("/tasks/" + TASK + "/run", "{}");
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) { // polls the job's state (as JobsApiTest does): the run itself takes milliseconds
            JsonNode job = api.get("/jobs/" + id).json();
            String state = job.path("state").asText();
            if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                return job;
            }
            assertThat(System.nanoTime())
                    .as("job " + id + " of task " + TASK + " to end")
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static List<MimeMessage> mailsTo(GreenMail smtp, String email) throws MessagingException {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (m.getAllRecipients()[0].toString().equals(email)) {
                out.add(m);
            }
        }
        return out;
    }

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

        JsonNode first = runTask(admin);
        assertThat(first.path("state").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
        assertThat(first.path("result").path("summary").asText())
                .as(first.toString())
                .startsWith("sent ");
        List<MimeMessage> mails = mailsTo(smtp, email);
        assertThat(mails).as("an e-mail to " + email).hasSize(1);
        MimeMessage mail = mails.get(0);
        assertThat(mail.getContentType()).startsWith("multipart/alternative");
        Multipart parts = (Multipart) mail.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");

        // one more run must not send it again
        JsonNode second = runTask(admin);
        assertThat(second.path("state").asText()).as(second.toString()).isEqualTo("SUCCEEDED");
        assertThat(mailsTo(smtp, email)).as("once per access and threshold").hasSize(1);
        // the test outlives an access token (60 s on test platforms): a fresh one for the last call
        assertThat(platform.admin()
                        .get("/audit?action=accesses.alert.sent&limit=100")
                        .body())
                .contains(Long.toString(access.json().path("id").asLong()))
                .doesNotContain(email);
    }
}
