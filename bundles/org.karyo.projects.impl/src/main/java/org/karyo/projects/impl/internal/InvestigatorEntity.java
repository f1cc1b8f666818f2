package org.karyo.projects.impl.internal;

import java.time.Instant;
import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;

/** A row of {@code karyo_projects.investigators}; used for writes, reads go through {@link Reads}. */
@Entity
@Table(schema = Reads.SCHEMA, name = "investigators")
public class InvestigatorEntity extends StampedEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    private Long id;

    @Column(name = "institution_id", nullable = false, updatable = false)
    private long institutionId;

    @Column(name = "first_name", nullable = false)
    private String firstName;

    @Column(name = "last_name", nullable = false)
    private String lastName;

    @Column(name = "email")
    private String email;

    @Column(name = "phone")
    private String phone;

    /** For JPA. */
    protected InvestigatorEntity() {}

    InvestigatorEntity(long institutionId, Instant now) {
        super(now);
        this.institutionId = institutionId;
    }

    Long id() {
        return id;
    }

    long institutionId() {
        return institutionId;
    }

    void assign(String firstName, String lastName, String email, String phone) {
        this.firstName = firstName;
        this.lastName = lastName;
        this.email = email;
        this.phone = phone;
    }
}
