package org.karyo.itests.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Platform;
import org.karyo.itests.support.SharedPlatform;

/** {@code /api/jobs} and {@code /api/tasks} against the booted platform: a manual task run from request to history. */
@ExtendWith(SharedPlatform.class)
class JobsApiTest {
    private static final String TASK = "jobs.prune";

    /** Runs the upkeep task and waits until its job ended; returns the job. */
    private static JsonNode runAndWait(Api api) throws InterruptedException {
        Api.Response started = api.post("/tasks/" + TASK + "/run", "{}");
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        assertThat(started.header("Location")).endsWith("/api/jobs/" + id);
        assertThat(started.json().path("type").asText()).isEqualTo("jobs.task");
        assertThat(started.json().path("key").asText()).isEqualTo(TASK);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            JsonNode job = api.get("/jobs/" + id).json();
            String state = job.path("state").asText();
            if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                return job;
            }
            assertThat(System.nanoTime()).as("job " + id + " to end").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void aTaskRunsOnDemandAsAJobAndLandsInItsHistory(Api api) throws Exception {
        JsonNode tasks = api.get("/tasks").json();
        JsonNode prune = null;
        for (JsonNode t : tasks.path("results")) {
            if (t.path("name").asText().equals(TASK)) {
                prune = t;
            }
        }
        assertThat(prune).as(tasks.toString()).isNotNull();
        assertThat(prune.path("scope").asText()).isEqualTo("CLUSTER");
        assertThat(prune.path("schedule").asText()).isEqualTo("0 15 4 * * ?");
        assertThat(prune.path("enabled").asBoolean()).isTrue();
        assertThat(prune.path("next_run").asText()).isNotBlank();
        assertThat(api.get("/tasks/" + TASK).json().path("module").asText()).isEqualTo("jobs");

        JsonNode job = runAndWait(api);
        assertThat(job.path("state").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.path("result").path("summary").asText()).startsWith("removed ");
        assertThat(job.path("progress").path("unit").asText()).isEqualTo("items");
        assertThat(job.path("node").asText()).isNotBlank();
        long id = job.path("id").asLong();

        JsonNode runs = api.get("/tasks/" + TASK + "/runs?limit=5").json();
        assertThat(runs.path("limit").asInt()).isEqualTo(5);
        JsonNode run = runs.path("results").get(0);
        assertThat(run.path("job_id").asLong()).isEqualTo(id);
        assertThat(run.path("trigger").asText()).isEqualTo("MANUAL");
        assertThat(run.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.path("started_by").asText()).isNotBlank();

        JsonNode listed = api.get("/jobs?type=jobs.task&state=SUCCEEDED&key=" + TASK + "&limit=1000")
                .json();
        assertThat(listed.path("results").findValuesAsText("id")).contains(Long.toString(id));

        Api.Response again = api.post("/jobs/" + id + "/cancel", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aUserSeesOnlyTheirOwnJobsAndNoTasks(Platform platform, Api admin) throws Exception {
        long adminJob = runAndWait(admin).path("id").asLong();
        String name = "jobs-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Jobs-" + UUID.randomUUID() + "-Pw1";
        Api.Response created = admin.post(
                "/users",
                Api.JSON
                        .createObjectNode()
                        .put("username", name)
                        .put("firstname", "Job")
                        .put("lastname", "Watcher")
                        .put("password", password)
                        .toString());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Api user = platform.api().anonymous().login(name, password);

        JsonNode mine = user.get("/jobs").json();
        assertThat(mine.path("count").asLong()).isZero();
        assertThat(user.get("/jobs?owner=" + "admin").json().path("count").asLong())
                .isZero();
        assertThat(user.get("/jobs/" + adminJob).status()).isEqualTo(404);
        assertThat(user.post("/jobs/" + adminJob + "/cancel", "{}").status()).isEqualTo(404);
        assertThat(user.get("/tasks").status()).isEqualTo(403);
        assertThat(user.post("/tasks/" + TASK + "/run", "{}").status()).isEqualTo(403);
        assertThat(platform.api().anonymous().get("/jobs").status()).isEqualTo(401);
    }

    @Test
    void badInputIsNamedAndUnknownThingsAreNotFound(Api api) {
        Api.Response bad = api.get("/jobs?state=DONE&limit=0");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").toString()).contains("state").contains("limit");
        assertThat(api.get("/jobs/abc").status()).isEqualTo(404);
        assertThat(api.get("/jobs/999999999").status()).isEqualTo(404);
        assertThat(api.get("/tasks/nothing.here").status()).isEqualTo(404);
        assertThat(api.post("/tasks/nothing.here/run", "{}").status()).isEqualTo(404);
        assertThat(api.get("/tasks/nothing.here/runs").status()).isEqualTo(404);
    }
}
