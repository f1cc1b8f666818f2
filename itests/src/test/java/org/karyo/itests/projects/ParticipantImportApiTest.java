package org.karyo.itests.projects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.karyo.itests.support.Genomics.ok;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.karyo.itests.support.Api;
import org.karyo.itests.support.Genomics;
import org.karyo.itests.support.SharedPlatform;

/**
 * A participant CSV of more than 10,000 rows is imported by a platform job: 202 with its {@code job_id} and a
 * {@code Location}, and {@code GET /api/jobs/{id}} counts the rows done out of the file's rows.
 */
@ExtendWith(SharedPlatform.class)
class ParticipantImportApiTest {

    private static Api.Response importCsv(Api api, long project, String csv) {
        return api.send(api.request("/projects/projects/" + project + "/participants/import")
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)));
    }

    private static String csv(int rows) {
        StringBuilder sb = new StringBuilder("first_name,last_name,gender,birth_date\n");
        for (int i = 0; i < rows; i++) {
            sb.append("Jane,Imported").append(i).append(",FEMALE,1980-05-17\n");
        }
        return sb.toString();
    }

    @Test
    void aLargeImportIsAJobWhoseProgressCountsRows(Api api) throws Exception {
        long project = Genomics.project(api, "import", null).project();

        Api.Response small = importCsv(api, project, csv(2));
        assertThat(small.status()).as("%s", small).isEqualTo(200);
        assertThat(small.json().path("created").asInt()).isEqualTo(2);

        Api.Response queued = importCsv(api, project, csv(10_001));
        assertThat(queued.status()).as("%s", queued).isEqualTo(202);
        long job = queued.json().path("job_id").asLong();
        assertThat(queued.header("Location")).endsWith("/api/jobs/" + job);

        JsonNode done = null;
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (done == null) {
            JsonNode j = ok(api.get("/jobs/" + job));
            assertThat(j.path("progress").path("unit").asText()).isEqualTo("rows");
            assertThat(j.path("progress").path("total").asLong()).isEqualTo(10_001);
            String state = j.path("state").asText();
            if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                done = j;
            } else {
                assertThat(System.nanoTime()).as("job %s to end", job).isLessThan(deadline);
                Thread.sleep(200); // the poll's interval
            }
        }
        assertThat(done.path("state").asText()).as("%s", done).isEqualTo("SUCCEEDED");
        assertThat(done.path("type").asText()).isEqualTo("projects.participant-import");
        assertThat(done.path("progress").path("done").asLong()).isEqualTo(10_001);
        assertThat(done.path("result").path("created").asText()).isEqualTo("10001");
        assertThat(ok(api.get("/projects/projects/" + project + "/participants?limit=1"))
                        .path("count")
                        .asLong())
                .isEqualTo(10_003);
    }
}
