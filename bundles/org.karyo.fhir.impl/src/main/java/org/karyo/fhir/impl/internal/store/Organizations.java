package org.karyo.fhir.impl.internal.store;

import java.util.Optional;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Organization;
import org.karyo.accesses.api.NewPerimeter;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.api.KaryoException;
import org.karyo.fhir.api.FhirException;
import org.karyo.persistence.Writes.Tx;

/**
 * Each Organization's node of the perimeter tree. An Organization with an identifier of system {@value #SYSTEM} is
 * linked to that existing node (its id); any other gets a node of its own (local id {@code fhir.organization.<id>},
 * owned by the module) under its {@code partOf} organisation's node, or under the configured parent (the site root by
 * default), in the write's unit of work.
 */
final class Organizations {
    /** The identifier system that links an Organization to an existing perimeter node by the node's id. */
    static final String SYSTEM = "urn:karyo:perimeter";

    private static final String S = Schema.NAME;
    private final PerimeterService perimeters;
    private final long parent;

    /** @param parent the node under which top organisations go; 0 for the site root */
    Organizations(PerimeterService perimeters, long parent) {
        this.perimeters = perimeters;
        this.parent = parent;
    }

    void ensure(Tx tx, Organization org) {
        String id = org.getIdPart();
        Optional<Long> linked = Optional.empty();
        for (Identifier i : org.getIdentifier()) {
            if (SYSTEM.equals(i.getSystem()) && i.hasValue()) {
                try {
                    linked = Optional.of(Long.parseLong(i.getValue()));
                } catch (NumberFormatException e) {
                    throw FhirException.unprocessable(
                            "Organization.identifier", "An identifier of system " + SYSTEM + " is a perimeter node id");
                }
            }
        }
        Optional<long[]> known = tx.sql()
                .one(
                        "SELECT perimeter_id, CASE WHEN attached THEN 1 ELSE 0 END FROM " + S
                                + ".organization_perimeter WHERE organization_id = ?",
                        rs -> new long[] {rs.getLong(1), rs.getLong(2)},
                        id);
        if (linked.isPresent()) {
            tx.update(
                    "INSERT INTO " + S + ".organization_perimeter (organization_id, perimeter_id, attached)"
                            + " VALUES (?, ?, false) ON CONFLICT (organization_id) DO UPDATE SET perimeter_id ="
                            + " excluded.perimeter_id, attached = false",
                    id,
                    linked.get());
            return;
        }
        if (known.isPresent()) {
            return;
        }
        Optional<Long> under = Optional.ofNullable(Writer.localId(org.getPartOf(), "Organization"))
                .flatMap(p -> tx.sql()
                        .one(
                                "SELECT perimeter_id FROM " + S + ".organization_perimeter WHERE organization_id = ?",
                                rs -> rs.getLong(1),
                                p));
        if (under.isEmpty() && parent > 0) {
            under = Optional.of(parent);
        }
        String name = org.hasName() ? org.getName() : "Organization " + id;
        Perimeter node;
        try {
            node = perimeters.attach(
                    Schema.MODULE,
                    new NewPerimeter(
                            "fhir.organization." + id,
                            name.length() > 200 ? name.substring(0, 200) : name,
                            Optional.empty(),
                            Optional.of("fhir"),
                            "organization",
                            under,
                            Optional.empty()));
        } catch (KaryoException e) {
            throw FhirException.unprocessable(
                    "Organization", "The organisation's perimeter node could not be added: " + e.getMessage());
        }
        tx.update(
                "INSERT INTO " + S + ".organization_perimeter (organization_id, perimeter_id, attached)"
                        + " VALUES (?, ?, true)",
                id,
                node.id());
    }
}
