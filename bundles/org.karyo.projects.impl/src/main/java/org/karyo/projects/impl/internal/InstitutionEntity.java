package org.karyo.projects.impl.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Convert;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Version;

/** A row of {@code karyo_projects.institutions}; used for writes, reads go through {@link Reads}. */
@Entity
@Table(schema = Reads.SCHEMA, name = "institutions")
public class InstitutionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "code", nullable = false, updatable = false)
    private String code;

    @Column(name = "name", nullable = false)
    private String name;

    @Column(name = "department")
    private String department;

    @Column(name = "address")
    private String address;

    @Column(name = "perimeter_id", nullable = false, updatable = false)
    private long perimeterId;

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
    protected InstitutionEntity() {}

    InstitutionEntity(String code, long perimeterId, Instant now) {
        this.code = code;
        this.perimeterId = perimeterId;
        this.createdAt = now;
        this.updatedAt = now;
    }

    Long id() {
        return id;
    }

    long version() {
        return version;
    }

    long perimeterId() {
        return perimeterId;
    }

    void assign(String name, String department, String address) {
        this.name = name;
        this.department = department;
        this.address = address;
    }

    void touch(Instant now) {
        this.updatedAt = now.isBefore(createdAt) ? createdAt : now;
    }
}
