package org.karyo.itests.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;
import org.karyo.itests.support.Tasks;

/**
 * Maintenance phases over HTTP, and what partial and full maintenance do to the rest of the platform. A phase stops
 * every other test's writes, so this class runs alone ({@code @Isolated}), never beside another.
 */
@ExtendWith(SharedPlatform.class)
@Isolated
class MaintenanceApiTest {
    private Api api;
    private Long phase;

    private long startPhase(Api api, String type, Instant start, Instant end) {
        this.api = api;
        Api.Response r = api.post(
                "/maintenances",
                "{\"subject\":\"Upgrade\",\"message\":\"Back soon\",\"type\":\"" + type + "\",\"start_datetime\":\""
                        + start + "\",\"end_datetime\":\"" + end + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        phase = r.json().path("id").asLong();
        return phase;
    }

    @AfterEach
    void endPhase() {
        if (phase != null) {
            assertThat(api.delete("/maintenances/" + phase, null).status()).isEqualTo(204);
        }
    }

    private static String banner() {
        return "{\"title\":\"m\",\"content\":\"m\",\"content_type\":\"BANNER_WARNING\"}";
    }

    @Test
    void partialMaintenanceRefusesWritesButServesReads(Api api) {
        Instant now = Instant.now();
        startPhase(api, "partial", now.minusSeconds(5), now.plus(10, ChronoUnit.MINUTES));

        Api.Response write = api.post("/webcontent/contents", banner());
        assertThat(write.status()).isEqualTo(503);
        assertThat(write.contentType()).startsWith("application/problem+json");
        JsonNode p = write.json();
        assertThat(p.path("subject").asText()).isEqualTo("Upgrade");
        assertThat(p.path("message").asText()).isEqualTo("Back soon");
        assertThat(p.path("maintenance_start").asText()).isNotBlank();
        assertThat(p.path("maintenance_end").asText()).isNotBlank();
        long retryAfter = Long.parseLong(write.header("Retry-After"));
        assertThat(retryAfter).isBetween(500L, 600L);

        assertThat(api.get("/webcontent/contents").status()).isEqualTo(200);
        assertThat(api.get("/health").status()).isEqualTo(200);
        JsonNode next = api.get("/maintenances/next").json();
        assertThat(next.path("id").asLong()).isEqualTo(phase);
        assertThat(next.path("active").asBoolean()).isTrue();
    }

    @Test
    void fullMaintenanceRefusesEverythingButTheExemptPaths(Api api) {
        Instant now = Instant.now();
        startPhase(api, "full", now.minusSeconds(5), now.plus(10, ChronoUnit.MINUTES));

        assertThat(api.get("/webcontent/contents").status()).isEqualTo(503);
        assertThat(api.post("/webcontent/contents", banner()).status()).isEqualTo(503);
        assertThat(api.get("/health").status()).isEqualTo(200);
        assertThat(api.get("/maintenances").status()).isEqualTo(200);
        Api.Response patched = api.patch("/maintenances/" + phase, "{\"message\":\"Still busy\"}", null);
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    }

    @Test
    void aPhaseInTheFutureDoesNotBlockButIsNext(Api api) {
        Instant now = Instant.now();
        startPhase(api, "full", now.plus(1, ChronoUnit.HOURS), now.plus(2, ChronoUnit.HOURS));
        assertThat(api.get("/webcontent/contents").status()).isEqualTo(200);
        JsonNode next = api.get("/maintenances/next").json();
        assertThat(next.path("id").asLong()).isEqualTo(phase);
        assertThat(next.path("active").asBoolean()).isFalse();
    }

    @Test
    void aPhaseStartsOnItsOwnAtItsTime(Api api) throws Exception {
        Instant start = Instant.now().plusSeconds(3);
        startPhase(api, "partial", start, start.plus(10, ChronoUnit.MINUTES));
        assertThat(api.post("/webcontent/contents", banner()).status()).isEqualTo(201);
        long deadline = System.currentTimeMillis() + 15_000;
        int status = 0;
        while (System.currentTimeMillis() < deadline && status != 503) {
            Thread.sleep(250);
            status = api.post("/webcontent/contents", banner()).status();
        }
        assertThat(status).isEqualTo(503);
        assertThat(Instant.now()).isAfterOrEqualTo(start);
    }

    @Test
    void startAfterEndIsRefusedAndNothingIsWritten(Api api) {
        Instant now = Instant.now();
        long before = api.get("/maintenances").json().path("count").asLong();
        Api.Response r = api.post(
                "/maintenances",
                "{\"subject\":\"Bad\",\"type\":\"partial\",\"start_datetime\":\"" + now.plusSeconds(60)
                        + "\",\"end_datetime\":\"" + now + "\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errors").toString()).contains("end_datetime");
        assertThat(api.get("/maintenances").json().path("count").asLong()).isEqualTo(before);
    }

    @Test
    void withNoPhaseNextIsAnEmptyObject(Api api) {
        this.api = api;
        // every other test here deletes its phase, but other classes (the BOLA matrix) leave phases years ahead
        for (JsonNode p : api.get("/maintenances?limit=1000").json().path("results")) {
            assertThat(api.delete("/maintenances/" + p.path("id").asLong(), null)
                            .status())
                    .isEqualTo(204);
        }
        assertThat(api.get("/maintenances").json().path("count").asLong()).isZero();
        Api.Response r = api.get("/maintenances/next");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().replace(" ", "")).isEqualTo("{}");
    }

    /**
     * Phases written on another node (here: straight into the database) reach this node's gate through the per-node
     * task {@code maintenance.refresh}: it is listed, runs on demand into its history, and its re-read makes the gate
     * refuse writes once the phase starts.
     */
    @Test
    void aPhaseWrittenInTheDatabaseIsPickedUpByTheRefreshTask(Platform platform, Api api) throws Exception {
        this.api = api;
        JsonNode task = Tasks.listed(api, "maintenance.refresh");
        assertThat(task.path("scope").asText()).isEqualTo("NODE");
        assertThat(task.path("schedule").asText()).isEqualTo("0/15 * * * * ?");
        assertThat(task.path("module").asText()).isEqualTo("maintenance");

        Instant start = Instant.now().plusSeconds(3);
        try (Connection c = DriverManager.getConnection(platform.superuserJdbcUrl());
                PreparedStatement ps = c.prepareStatement("INSERT INTO karyo_maintenance.maintenance_phase"
                        + " (subject, type, start_datetime, end_datetime) VALUES ('Written elsewhere', 'partial', ?, ?)"
                        + " RETURNING id")) {
            ps.setTimestamp(1, Timestamp.from(start));
            ps.setTimestamp(2, Timestamp.from(start.plus(10, ChronoUnit.MINUTES)));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                phase = rs.getLong(1);
            }
        }

        JsonNode job = Tasks.runAndWait(api, "maintenance.refresh");
        assertThat(job.path("state").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        // the other tests of this class leave phases of their own; the one written here is among them (and in force
        // below)
        assertThat(job.path("result").path("summary").asText()).matches("[1-9][0-9]* phase\\(s\\) not ended");
        JsonNode run = Tasks.lastRun(api, "maintenance.refresh");
        assertThat(run.path("job_id").asLong()).isEqualTo(job.path("id").asLong());
        assertThat(run.path("trigger").asText()).isEqualTo("MANUAL");
        assertThat(run.path("outcome").asText()).isEqualTo("SUCCEEDED");

        long deadline = System.nanoTime() + 30_000_000_000L;
        Api.Response write;
        while ((write = api.post("/webcontent/contents", "{}")).status() != 503) {
            assertThat(write.status()).as(write.toString()).isEqualTo(400); // before the start: refused as invalid
            assertThat(System.nanoTime()).as("the phase to start").isLessThan(deadline);
            Thread.sleep(100); // polls until the phase's start time has passed
        }
        assertThat(write.json().path("subject").asText()).isEqualTo("Written elsewhere");
    }
}
