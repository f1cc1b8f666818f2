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
import org.karyo.maintenance.api.MaintenanceType;

/** A row of {@code karyo_maintenance.maintenance_phase}. Never leaves this bundle: see {@link #toDto(Instant)}. */
@Entity
@Table(schema = "karyo_maintenance", name = "maintenance_phase")
public class MaintenancePhaseEntity {

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
    @Column(name = "created_at", nullable = false)
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

    /** The client's view of this row, with {@code active} evaluated at {@code now}. */
    MaintenancePhase toDto(Instant now) {
        return new MaintenancePhase(
                id, subject, message, type, startDatetime, endDatetime, activeAt(now), createdAt, modifiedAt, version);
    }

    /** The gate's view of this row. */
    GatePhase toGatePhase() {
        return new GatePhase(id, subject, message, MaintenanceType.parse(type), startDatetime, endDatetime);
    }

    boolean activeAt(Instant now) {
        return !startDatetime.isAfter(now) && now.isBefore(endDatetime);
    }

    Long getId() {
        return id;
    }

    String getSubject() {
        return subject;
    }

    void setSubject(String subject) {
        this.subject = subject;
    }

    String getMessage() {
        return message;
    }

    void setMessage(String message) {
        this.message = message;
    }

    String getType() {
        return type;
    }

    void setType(String type) {
        this.type = type;
    }

    Instant getStartDatetime() {
        return startDatetime;
    }

    void setStartDatetime(Instant startDatetime) {
        this.startDatetime = startDatetime;
    }

    Instant getEndDatetime() {
        return endDatetime;
    }

    void setEndDatetime(Instant endDatetime) {
        this.endDatetime = endDatetime;
    }

    void setCreatedAt(Instant createdAt) {
        this.createdAt = createdAt;
    }

    void setModifiedAt(Instant modifiedAt) {
        this.modifiedAt = modifiedAt;
    }

    Instant getDeletedAt() {
        return deletedAt;
    }

    void setDeletedAt(Instant deletedAt) {
        this.deletedAt = deletedAt;
    }

    long getVersion() {
        return version;
    }
}
