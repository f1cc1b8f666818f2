package org.karyo.maintenance.impl.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Version;
import org.karyo.maintenance.api.MaintenancePhase;
import org.karyo.persistence.InstantConverter;
import org.karyo.persistence.SoftDeleted;
import org.karyo.persistence.Versioned;

/**
 * A row of {@code karyo_maintenance.maintenance_phase}. Used for writes (through {@link org.karyo.persistence.Writes});
 * reads go through {@link MaintenanceReads}. Never leaves this bundle: see {@link #toDto(Instant)}.
 */
@Entity
@Table(schema = MaintenanceReads.SCHEMA, name = "maintenance_phase")
public class MaintenancePhaseEntity implements Versioned, SoftDeleted {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "subject", nullable = false, length = 255)
    private String subject;

    @Column(name = "message", length = 5000)
    private String message;

    @Column(name = "type", nullable = false, length = 16)
    private String type;

    @Convert(converter = InstantConverter.class)
    @Column(name = "start_datetime", nullable = false)
    private Instant startDatetime;

    @Convert(converter = InstantConverter.class)
    @Column(name = "end_datetime", nullable = false)
    private Instant endDatetime;

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
    protected MaintenancePhaseEntity() {}

    MaintenancePhaseEntity(Instant now) {
        this.createdAt = now;
        this.modifiedAt = now;
    }

    /** The client's view of this row, with {@code active} evaluated at {@code now}. */
    MaintenancePhase toDto(Instant now) {
        boolean active = !startDatetime.isAfter(now) && now.isBefore(endDatetime);
        return new MaintenancePhase(
                id, subject, message, type, startDatetime, endDatetime, active, createdAt, modifiedAt, version);
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

    String subject() {
        return subject;
    }

    void subject(String subject) {
        this.subject = subject;
    }

    String message() {
        return message;
    }

    void message(String message) {
        this.message = message;
    }

    String type() {
        return type;
    }

    void type(String type) {
        this.type = type;
    }

    Instant startDatetime() {
        return startDatetime;
    }

    void startDatetime(Instant startDatetime) {
        this.startDatetime = startDatetime;
    }

    Instant endDatetime() {
        return endDatetime;
    }

    void endDatetime(Instant endDatetime) {
        this.endDatetime = endDatetime;
    }

    /** Records a change; a clock that went backwards never makes {@code modified_at} precede {@code created_at}. */
    void touch(Instant now) {
        this.modifiedAt = now.isBefore(createdAt) ? createdAt : now;
    }

    void delete(Instant now) {
        touch(now);
        this.deletedAt = modifiedAt;
    }
}
