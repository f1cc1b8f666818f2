package org.karyo.projects.impl.internal;

import static org.karyo.projects.api.ProjectRights.PARTICIPANT_MANAGE;
import static org.karyo.projects.api.ProjectRights.PARTICIPANT_READ_NOMINATIVE;
import static org.karyo.projects.api.ProjectRights.PARTICIPANT_READ_PSEUDONYMIZED;
import static org.karyo.projects.api.ProjectRights.PROJECT_MANAGE;
import static org.karyo.projects.api.ProjectRights.PROJECT_READ;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Caller;
import org.karyo.api.security.Scope;

/**
 * How the module's rights apply to a perimeter node. A node is <em>visible</em> to a caller who holds any of the
 * module's rights on it (directly or through an ancestor); an invisible object answers {@code NOT_FOUND}, a visible one
 * without the right needed answers {@code FORBIDDEN}.
 */
final class Access {

    /** Every right of the module: holding one of them on a node makes it visible. */
    static final List<String> ANY = List.of(
            PROJECT_READ,
            PROJECT_MANAGE,
            PARTICIPANT_READ_NOMINATIVE,
            PARTICIPANT_READ_PSEUDONYMIZED,
            PARTICIPANT_MANAGE);

    /** How a caller may see participants. */
    enum View {
        NOMINATIVE,
        PSEUDONYMIZED
    }

    private Access() {}

    static boolean visible(Caller caller, long perimeterId) {
        for (String right : ANY) {
            if (caller.hasRightOn(right, perimeterId)) {
                return true;
            }
        }
        return false;
    }

    /** The nodes on which the caller holds any right of the module. */
    static Scope visibleScope(Caller caller) {
        Set<Long> ids = new TreeSet<>();
        for (String right : ANY) {
            Scope s = caller.scope(right);
            if (s.isAll()) {
                return Scope.all();
            }
            for (long id : s.perimeterIds()) {
                ids.add(id);
            }
        }
        return Scope.of(ids);
    }

    /**
     * Requires {@code right} on a visible node.
     *
     * @throws KaryoException NOT_FOUND ({@code what} {@code id}) when the node is not visible, FORBIDDEN when it is
     *     but the right is missing
     */
    static void require(Caller caller, long perimeterId, String right, String what, Object id) {
        if (caller.hasRightOn(right, perimeterId)) {
            return;
        }
        if (!visible(caller, perimeterId)) {
            throw KaryoException.notFound(what, id);
        }
        throw KaryoException.forbidden("This needs the right " + right + " on " + what + " " + id);
    }

    /** Requires visibility only. */
    static void requireVisible(Caller caller, long perimeterId, String what, Object id) {
        if (!visible(caller, perimeterId)) {
            throw KaryoException.notFound(what, id);
        }
    }

    /**
     * How the caller may read the participants of a project node: nominatively, pseudonymised, or not at all
     * (NOT_FOUND when the project is invisible, FORBIDDEN when it is visible).
     */
    static View participantView(Caller caller, long perimeterId, String what, Object id) {
        if (caller.hasRightOn(PARTICIPANT_READ_NOMINATIVE, perimeterId)) {
            return View.NOMINATIVE;
        }
        if (caller.hasRightOn(PARTICIPANT_READ_PSEUDONYMIZED, perimeterId)) {
            return View.PSEUDONYMIZED;
        }
        if (!visible(caller, perimeterId)) {
            throw KaryoException.notFound(what, id);
        }
        throw KaryoException.forbidden("Reading participants needs " + PARTICIPANT_READ_NOMINATIVE + " or "
                + PARTICIPANT_READ_PSEUDONYMIZED + " on " + what + " " + id);
    }
}
