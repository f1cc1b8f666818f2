package org.karyo.itests.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** Scheduled tasks through {@code /api/tasks}: a run on demand, followed to its end. */
public final class Tasks {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Tasks() {}

    /** The task as {@code GET /api/tasks} lists it; fails when it is not listed. */
    public static JsonNode listed(Api api, String name) {
        Api.Response r = api.get("/tasks?limit=1000");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        for (JsonNode t : r.json().path("results")) {
            if (t.path("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("task " + name + " is not listed: " + r.body());
    }

    /** Runs the task now ({@code POST /api/tasks/{name}/run}) and waits until its job ended; returns the job. */
    public static JsonNode runAndWait(Api api, String name) throws InterruptedException {
        Api.Response started = api.post("/tasks/" + name + "/run", "{}");
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        long id = started.json().path("id").asLong();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode job = api.get("/jobs/" + id).json();
            String state = job.path("state").asText();
            if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                return job;
            }
            assertThat(System.nanoTime()).as("job " + id + " to end").isLessThan(deadline);
            Thread.sleep(50); // polls the job's state; it ends as soon as the task's run did
        }
    }

    /** The latest run in the task's history ({@code GET /api/tasks/{name}/runs}). */
    public static JsonNode lastRun(Api api, String name) {
        Api.Response r = api.get("/tasks/" + name + "/runs?limit=1");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().path("results").get(0);
    }
}
