package org.karyo.content.impl.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.persistence.CollectionTable;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.ElementCollection;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.FetchType;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.MapKeyColumn;
import javax.persistence.Table;
import javax.persistence.Version;
import org.karyo.content.api.Content;
import org.karyo.content.api.ContentType;
import org.karyo.persistence.InstantConverter;
import org.karyo.persistence.SoftDeleted;
import org.karyo.persistence.Versioned;

/**
 * A row of {@code karyo_content.content} with its metadata rows ({@code karyo_content.content_metadata}). Used for
 * writes (through {@link org.karyo.persistence.Writes}); reads go through {@link ContentReads}.
 */
@Entity
@Table(schema = ContentReads.SCHEMA, name = "content")
public class ContentEntity implements Versioned, SoftDeleted {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "title", nullable = false, length = Content.TITLE_MAX)
    private String title;

    @Column(name = "content", nullable = false)
    private String content;

    @Column(name = "page", length = Content.PAGE_MAX)
    private String page;

    @Enumerated(EnumType.STRING)
    @Column(name = "content_type", nullable = false)
    private ContentType contentType;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(
            schema = ContentReads.SCHEMA,
            name = "content_metadata",
            joinColumns = @JoinColumn(name = "content_id"))
    @MapKeyColumn(name = "name")
    @Column(name = "value", nullable = false, length = Content.METADATA_VALUE_MAX)
    private Map<String, String> metadata = new HashMap<>();

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Convert(converter = InstantConverter.class)
    @Column(name = "modified_at", nullable = false)
    private Instant modifiedAt;

    @Convert(converter = InstantConverter.class)
    @Column(name = "deleted_at")
    private Instant deletedAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    /** For JPA. */
    protected ContentEntity() {}

    ContentEntity(Instant now) {
        this.createdAt = now;
        this.modifiedAt = now;
    }

    Long id() {
        return id;
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public boolean deleted() {
        return deletedAt != null;
    }

    void title(String title) {
        this.title = title;
    }

    void content(String content) {
        this.content = content;
    }

    void page(String page) {
        this.page = page;
    }

    void contentType(ContentType contentType) {
        this.contentType = contentType;
    }

    /** Replaces the metadata map, changing only the rows whose value differs. */
    void metadata(Map<String, String> replacement) {
        metadata.keySet().retainAll(replacement.keySet());
        replacement.forEach((k, v) -> {
            if (!v.equals(metadata.get(k))) {
                metadata.put(k, v);
            }
        });
    }

    /** Records a change; a clock that went backwards never makes {@code modified_at} precede {@code created_at}. */
    void touch(Instant now) {
        this.modifiedAt = now.isBefore(createdAt) ? createdAt : now;
    }

    void delete(Instant now) {
        touch(now);
        this.deletedAt = modifiedAt;
    }

    Content toDto() {
        return new Content(id, title, content, page, contentType, metadata, createdAt, modifiedAt, version);
    }
}
