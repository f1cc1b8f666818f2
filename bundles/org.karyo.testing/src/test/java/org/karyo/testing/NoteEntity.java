package org.karyo.testing;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Version;

@Entity
@Table(schema = "karyo_testing", name = "note")
public class NoteEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "body", nullable = false, length = 200)
    private String body;

    @Version
    private long version;

    protected NoteEntity() {}

    NoteEntity(String body) {
        this.body = body;
    }

    Long id() {
        return id;
    }

    String body() {
        return body;
    }

    long version() {
        return version;
    }
}
