package org.karyo.persistence;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Version;

/** The test module's aggregate: a row of {@code karyo_things.things}. */
@Entity
@Table(schema = "karyo_things", name = "things")
public class ThingEntity implements Versioned, SoftDeleted {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "code", nullable = false)
    private String code;

    @Column(name = "owner_id")
    private Long ownerId;

    @Convert(converter = InstantConverter.class)
    @Column(name = "deleted_at")
    private Instant deletedAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected ThingEntity() {}

    ThingEntity(String code) {
        this.code = code;
    }

    Long id() {
        return id;
    }

    void code(String code) {
        this.code = code;
    }

    void owner(Long ownerId) {
        this.ownerId = ownerId;
    }

    void delete(Instant at) {
        this.deletedAt = at;
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public boolean deleted() {
        return deletedAt != null;
    }
}
