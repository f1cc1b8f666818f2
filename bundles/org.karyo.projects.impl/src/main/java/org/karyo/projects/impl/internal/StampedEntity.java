package org.karyo.projects.impl.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.MappedSuperclass;
import javax.persistence.Version;
import org.karyo.persistence.InstantConverter;
import org.karyo.persistence.Versioned;

/**
 * What every aggregate of the module carries: {@code created_at}, {@code updated_at} and the optimistic-lock
 * {@code version} that {@link org.karyo.persistence.Writes.Tx#lock} compares with a client's {@code If-Match}.
 */
@MappedSuperclass
public abstract class StampedEntity implements Versioned {

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Convert(converter = InstantConverter.class)
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    /** For JPA. */
    protected StampedEntity() {}

    protected StampedEntity(Instant now) {
        this.createdAt = now;
        this.updatedAt = now;
    }

    @Override
    public long version() {
        return version;
    }

    /** Records a change; a clock that went backwards never makes {@code updated_at} precede {@code created_at}. */
    void touch(Instant now) {
        this.updatedAt = now.isBefore(createdAt) ? createdAt : now;
    }
}
