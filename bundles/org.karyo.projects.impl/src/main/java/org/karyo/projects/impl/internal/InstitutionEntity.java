package org.karyo.projects.impl.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;

/** A row of {@code karyo_projects.institutions}; used for writes, reads go through {@link Reads}. */
@Entity
@Table(schema = Reads.SCHEMA, name = "institutions")
public class InstitutionEntity extends StampedEntity {

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

    /** For JPA. */
    protected InstitutionEntity() {}

    InstitutionEntity(String code, long perimeterId, Instant now) {
        super(now);
        this.code = code;
        this.perimeterId = perimeterId;
    }

    Long id() {
        return id;
    }

    long perimeterId() {
        return perimeterId;
    }

    void assign(String name, String department, String address) {
        this.name = name;
        this.department = department;
        this.address = address;
    }
}
