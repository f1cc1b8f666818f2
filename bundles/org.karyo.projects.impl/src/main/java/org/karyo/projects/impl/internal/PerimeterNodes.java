package org.karyo.projects.impl.internal;

import java.util.Locale;
import java.util.Optional;
import org.karyo.accesses.api.NewPerimeter;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.api.FieldError;
import org.karyo.api.KaryoException;
import org.karyo.api.Kind;

/** The perimeter nodes this module attaches for its institutions and projects, owned by the module. */
final class PerimeterNodes {

    private PerimeterNodes() {}

    /**
     * Attaches the node of an institution or project (local id {@code projects.<type>.<code>}) under {@code parent}
     * (the root when null), in the caller's unit of work; the tree's refusals are named by the caller's fields.
     *
     * @param parentField the request field that chose the parent, named when the parent is refused
     */
    static Perimeter attach(
            PerimeterService perimeters, String type, String code, String name, Long parent, String parentField) {
        try {
            return perimeters.attach(
                    ProjectRightsContributor.MODULE,
                    new NewPerimeter(
                            "projects." + type + "." + code.toLowerCase(Locale.ROOT),
                            name,
                            Optional.of(code),
                            Optional.of(ProjectRightsContributor.MODULE),
                            type,
                            Optional.ofNullable(parent),
                            Optional.empty()));
        } catch (KaryoException e) {
            throw refused(e, "code", parentField);
        }
    }

    /** The perimeter tree's refusal in terms of the module's own fields. */
    private static KaryoException refused(KaryoException e, String codeField, String parentField) {
        if (e.kind() == Kind.INVALID) {
            for (FieldError f : e.errors()) {
                if (f.field().equals("local_id")) {
                    return KaryoException.conflict(
                            "The " + codeField + " is already used by a node of the perimeter tree");
                }
                if (f.field().equals("parent_id")) {
                    return KaryoException.invalid(parentField, f.message());
                }
                if (f.field().equals("name")) {
                    return KaryoException.invalid("name", f.message());
                }
            }
        }
        return e;
    }
}
