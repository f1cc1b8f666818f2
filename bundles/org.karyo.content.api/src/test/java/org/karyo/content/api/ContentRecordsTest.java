package org.karyo.content.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.karyo.api.PageRequest;

class ContentRecordsTest {

    @Test
    void metadataIsNeverNullAndComesOrderedByKey() {
        Instant now = Instant.now();
        Content none = new Content(1, "t", "c", null, ContentType.BANNER_INFO, null, now, now, 1);
        assertThat(none.metadata()).isEmpty();

        Map<String, String> given = new HashMap<>(Map.of("tags", "a", "order", "1", "style", "bold"));
        Content some = new Content(1, "t", "c", null, ContentType.BANNER_INFO, given, now, now, 1);
        given.clear();
        assertThat(some.metadata())
                .containsExactly(Map.entry("order", "1"), Map.entry("style", "bold"), Map.entry("tags", "a"));
        assertThatThrownBy(() -> some.metadata().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void queryDefaultsToEverythingNewestFirst() {
        ContentQuery q = new ContentQuery(null, null, "", null);
        assertThat(q.types()).isEmpty();
        assertThat(q.pages()).isEmpty();
        assertThat(q.search()).isNull();
        assertThat(q.page().limit()).isEqualTo(PageRequest.DEFAULT_LIMIT);
        assertThat(q.page().offset()).isZero();
        assertThat(q.page().ordering()).isEqualTo(ContentQuery.DEFAULT_ORDERING);
    }

    @Test
    void everyTypeHasALabelForTheEditor() {
        assertThat(ContentType.values())
                .extracting(ContentType::name)
                .containsExactly("BANNER_WARNING", "BANNER_INFO", "BANNER_ERROR", "RELEASE_NOTE");
        for (ContentType t : ContentType.values()) {
            assertThat(t.info().value()).isEqualTo(t);
            assertThat(t.info().label()).isNotBlank();
            assertThat(t.info().description()).isNotBlank();
        }
        assertThat(Content.METADATA_KEYS).isEqualTo(List.of("order", "style", "tags"));
    }
}
