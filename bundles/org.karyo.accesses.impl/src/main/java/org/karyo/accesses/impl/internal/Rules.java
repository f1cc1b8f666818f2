package org.karyo.accesses.impl.internal;

import static org.karyo.accesses.api.AccessRights.EXPORT_CSV_XLSX_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.EXPORT_JUPYTER_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.FULL_ADMIN;
import static org.karyo.accesses.api.AccessRights.MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS;
import static org.karyo.accesses.api.AccessRights.MANAGE_ADMIN_ACCESSES_SAME_LEVEL;
import static org.karyo.accesses.api.AccessRights.MANAGE_DATA_ACCESSES_INFERIOR_LEVELS;
import static org.karyo.accesses.api.AccessRights.MANAGE_DATA_ACCESSES_SAME_LEVEL;
import static org.karyo.accesses.api.AccessRights.MANAGE_USERS;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_NOMINATIVE;
import static org.karyo.accesses.api.AccessRights.READ_PATIENT_PSEUDONYMIZED;
import static org.karyo.accesses.api.AccessRights.SEARCH_PATIENTS_BY_IPP;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.karyo.accesses.api.AccessRights;
import org.karyo.accesses.api.Right;
import org.karyo.api.FieldError;
import org.karyo.api.security.RightDefinition.RightScope;
import org.karyo.api.security.Scope;

/** Cohort360's access rules, on resolved rights and the in-memory tree. */
final class Rules {
    private Rules() {}

    /** Which management right a role needs to be granted, changed or closed by someone. */
    enum Need {
        DATA,
        ADMIN,
        FULL_ADMIN
    }

    /**
     * What managing accesses with a role takes (Cohort360's {@code requires_*_to_be_managed}): full administration for
     * full admin, unlimited search and admin-access management; admin-access management for users, data-access
     * management and datalabs; data-access management for patient data reads, searches and exports. Rights of other
     * modules need admin-access management when GLOBAL (they apply everywhere) and data-access management otherwise;
     * a role without any right needs data-access management, so that managing always takes a management right.
     */
    static Need need(Set<String> roleRights, Catalog catalog) {
        Need need = Need.DATA;
        for (String key : roleRights) {
            if (AccessRightDefinitions.FULL_ADMIN_MANAGED.contains(key)) {
                return Need.FULL_ADMIN;
            }
            if (AccessRightDefinitions.ADMIN_MANAGED.contains(key)) {
                need = Need.ADMIN;
            } else if (!AccessRightDefinitions.DATA_MANAGED.contains(key)
                    && !key.startsWith(AccessRights.MODULE + ".")
                    && catalog.right(key).map(Right::global).orElse(true)) {
                need = Need.ADMIN;
            }
        }
        return need;
    }

    /**
     * Cohort360's {@code can_user_manage_access}: whether the holder of {@code rights} may manage an access with a role
     * holding {@code roleRights} on {@code perimeterId}. A full administrator may manage everything. Otherwise an
     * access of the holder on the node itself counts for its {@code *_same_level} rights, one on a strict ancestor for
     * its {@code *_inferior_levels} rights, and admin-access management implies data-access management.
     */
    static boolean canManage(
            UserRightsImpl rights, Tree tree, Catalog catalog, Set<String> roleRights, Long perimeterId) {
        if (rights.fullAdmin()) {
            return true;
        }
        if (perimeterId == null) {
            return false;
        }
        Need need = need(roleRights, catalog);
        if (need == Need.FULL_ADMIN) {
            return false;
        }
        long parent = tree.parentId(perimeterId);
        boolean admin = rights.hasOn(MANAGE_ADMIN_ACCESSES_SAME_LEVEL, perimeterId)
                || (parent >= 0 && rights.hasOn(MANAGE_ADMIN_ACCESSES_INFERIOR_LEVELS, parent));
        if (admin) {
            return true;
        }
        if (need == Need.ADMIN) {
            return false;
        }
        return rights.hasOn(MANAGE_DATA_ACCESSES_SAME_LEVEL, perimeterId)
                || (parent >= 0 && rights.hasOn(MANAGE_DATA_ACCESSES_INFERIOR_LEVELS, parent));
    }

    /**
     * Where the holder manages accesses: every node on which it holds one of the four access-management rights (the
     * {@code *_inferior_levels} ones expanded down the tree), or everywhere for a full administrator.
     */
    static Scope managementScope(UserRightsImpl rights) {
        return rights.managementScope(() -> computeManagementScope(rights));
    }

    private static Scope computeManagementScope(UserRightsImpl rights) {
        if (rights.fullAdmin()) {
            return Scope.all();
        }
        Set<Long> ids = new HashSet<>();
        for (String right : AccessRightDefinitions.ACCESS_MANAGEMENT) {
            Scope s = rights.scope(right);
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
     * The nodes the holder may see: the node of each valid access that grants anything, its descendants when the
     * access grants an inherited right, and all their ancestors (to navigate). {@code null} means every node (a full
     * administrator).
     */
    static long[] visibleIds(UserRightsImpl rights, Tree tree) {
        if (rights.fullAdmin()) {
            return null;
        }
        return rights.memo(tree, () -> computeVisible(rights, tree));
    }

    private static long[] computeVisible(UserRightsImpl rights, Tree tree) {
        boolean[] marks = new boolean[tree.size()];
        boolean[] walked = new boolean[tree.size()];
        List<Integer> subtrees = new ArrayList<>();
        for (UserRightsImpl.Grant g : rights.grants()) {
            if (g.perimeterId() == null) {
                continue;
            }
            int node = tree.index(g.perimeterId());
            if (node < 0 || !rights.grantGrantsAnything(g)) {
                continue;
            }
            if (rights.grantInherits(g)) {
                subtrees.add(node);
            } else {
                marks[node] = true;
            }
            tree.markAncestors(node, marks, walked);
        }
        // each subtree once: in pre-order, a node inside a subtree already taken is skipped
        subtrees.sort(Comparator.comparingInt(tree::pre));
        int coveredUntil = -1;
        for (int node : subtrees) {
            if (tree.pre(node) >= coveredUntil) {
                tree.markSubtree(node, marks);
                coveredUntil = tree.last(node);
            }
        }
        return tree.idsOf(marks);
    }

    /** Whether a node is visible, given {@link #visibleIds}. */
    static boolean visible(long[] visible, Tree tree, long id) {
        if (!tree.contains(id)) {
            return false;
        }
        return visible == null || Arrays.binarySearch(visible, id) >= 0;
    }

    /**
     * Cohort360's role consistency rules ({@code check_role_has_inconsistent_rights}) plus Karyo's: unknown keys, and
     * rights whose {@code depends_on} is missing from the role.
     *
     * @return the errors, each naming {@code rights}; empty when consistent
     */
    static List<FieldError> checkRole(Set<String> rights, Catalog catalog) {
        List<FieldError> errors = new ArrayList<>();
        Set<String> unknown = new TreeSet<>();
        for (String key : rights) {
            if (catalog.index(key) < 0) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            errors.add(new FieldError("rights", "unknown rights: " + String.join(", ", unknown)));
        }
        if (rights.contains(FULL_ADMIN) && !rights.containsAll(AccessRights.ALL)) {
            Set<String> missing = new TreeSet<>(AccessRights.ALL);
            missing.removeAll(rights);
            errors.add(new FieldError(
                    "rights",
                    "a full administrator role holds every access right; missing: " + String.join(", ", missing)));
        }
        boolean nominative = rights.contains(READ_PATIENT_NOMINATIVE);
        if (!nominative
                && rights.contains(READ_PATIENT_PSEUDONYMIZED)
                && (rights.contains(EXPORT_CSV_XLSX_NOMINATIVE) || rights.contains(EXPORT_JUPYTER_NOMINATIVE))) {
            errors.add(new FieldError(
                    "rights",
                    "a role cannot read pseudonymised patient data and export nominative data without "
                            + "reading nominative data"));
        }
        if (rights.contains(SEARCH_PATIENTS_BY_IPP) && !nominative) {
            errors.add(new FieldError(
                    "rights", "a role cannot search patients by IPP without reading nominative patient data"));
        }
        if (!rights.contains(MANAGE_USERS)
                && AccessRightDefinitions.ACCESS_MANAGEMENT.stream().anyMatch(rights::contains)) {
            errors.add(new FieldError("rights", "a role cannot manage accesses without managing users"));
        }
        for (String key : rights) {
            Optional<String> dependsOn = catalog.right(key).flatMap(Right::dependsOn);
            boolean reported = AccessRightDefinitions.ACCESS_MANAGEMENT.contains(key)
                    && MANAGE_USERS.equals(dependsOn.orElse(null)); // the rule above says it already
            if (dependsOn.isPresent() && !rights.contains(dependsOn.get()) && !reported) {
                errors.add(new FieldError("rights", key + " requires " + dependsOn.get() + " in the same role"));
            }
        }
        return errors;
    }

    /** Whether a right is INHERITED in the catalog. */
    static boolean inherited(Catalog catalog, String key) {
        return catalog.right(key).map(r -> r.scope() == RightScope.INHERITED).orElse(false);
    }
}
