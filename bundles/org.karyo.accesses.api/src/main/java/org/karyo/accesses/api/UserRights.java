package org.karyo.accesses.api;

import java.util.Set;
import org.karyo.api.security.Scope;

/**
 * A user's resolved rights: the OR of its valid accesses on active profiles, over active rights only. Immutable; the
 * resolver caches one per user until any user, role, access, perimeter or right change.
 */
public interface UserRights {

    String userId();

    boolean fullAdmin();

    /** Whether the right is held anywhere. */
    boolean has(String right);

    /** Whether the right is held on a node (global, on it, or inherited from an ancestor). */
    boolean hasOn(String right, long perimeterId);

    /** Where the right is held. */
    Scope scope(String right);

    /** Every right held somewhere. */
    Set<String> rights();
}
