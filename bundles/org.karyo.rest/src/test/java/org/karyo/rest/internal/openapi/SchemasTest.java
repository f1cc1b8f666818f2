package org.karyo.rest.internal.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.karyo.api.Page;
import org.karyo.api.json.AllowedValues;
import org.karyo.api.json.Nullable;
import org.karyo.rest.internal.json.JsonMappers;

/** What the schemas of records and beans say about required, nullable and enum properties, and their names. */
class SchemasTest {
    enum State {
        PENDING,
        GIVEN,
        EXPIRED
    }

    record Update(
            @AllowedValues({"PENDING", "GIVEN"}) State state,
            @AllowedValues({"GIVEN"}) @Nullable List<State> history,
            @Nullable String note,
            Optional<String> label,
            String name) {}

    record Wrong(@AllowedValues({"LOST"}) State state) {}

    record NotAnEnum(@AllowedValues({"A"}) String text) {}

    /** A merge-patch bean: a field marked nullable makes its property nullable and optional. */
    public static final class Patch {
        @Nullable
        private String email;

        private String name;

        public String getEmail() {
            return email;
        }

        public void setEmail(String email) {
            this.email = email;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }
    }

    static final class Jobs {
        record Job(long id) {}
    }

    static final class OtherJobs {
        record Job(String name) {}
    }

    private final Schemas schemas = new Schemas(JsonMappers.create());

    private JsonNode component(Class<?> type) {
        ObjectNode ref = schemas.schema(type);
        String name = ref.get("$ref").asText().substring("#/components/schemas/".length());
        return schemas.components().get(name);
    }

    @Test
    void everyPropertyIsRequiredButTheNullableAndOptionalOnes() {
        JsonNode update = component(Update.class);
        assertThat(update.get("required").toString()).isEqualTo("[\"state\",\"name\"]");
        assertThat(update.at("/properties/note/nullable").asBoolean()).isTrue();
        assertThat(update.at("/properties/label/nullable").asBoolean()).isTrue();
        assertThat(update.at("/properties/name/nullable").isMissingNode()).isTrue();
        assertThat(update.at("/properties/state/nullable").isMissingNode()).isTrue();
    }

    @Test
    void aBeanFieldMarkedNullableMakesItsPropertyOptional() {
        JsonNode patch = component(Patch.class);
        assertThat(patch.get("required").toString()).isEqualTo("[\"name\"]");
        assertThat(patch.at("/properties/email/nullable").asBoolean()).isTrue();
    }

    @Test
    void allowedValuesListOnlyTheAcceptedConstants() {
        JsonNode update = component(Update.class);
        assertThat(update.at("/properties/state/enum").toString()).isEqualTo("[\"PENDING\",\"GIVEN\"]");
        assertThat(update.at("/properties/history/items/enum").toString()).isEqualTo("[\"GIVEN\"]");
        assertThatThrownBy(() -> schemas.schema(Wrong.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LOST");
        assertThatThrownBy(() -> schemas.schema(NotAnEnum.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not an enum");
    }

    @Test
    void aNameTakenByAnotherTypeIsPrefixedWithTheModule() {
        schemas.schema(Jobs.Job.class);
        schemas.schema(OtherJobs.Job.class);
        schemas.schema(new com.fasterxml.jackson.core.type.TypeReference<Page<OtherJobs.Job>>() {}.getType());
        assertThat(schemas.components().keySet()).contains("Job", "RestJob", "PageOfRestJob");
        assertThat(schemas.components()
                        .get("RestJob")
                        .at("/properties/name/type")
                        .asText())
                .isEqualTo("string");
    }
}
