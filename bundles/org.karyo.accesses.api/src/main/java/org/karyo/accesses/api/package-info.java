/**
 * The contract of Karyo's access module (Cohort360 {@code accesses}), generalised for every module: a perimeter tree
 * of typed nodes, rights as rows contributed by modules, roles holding sets of rights, and accesses = profile × role ×
 * perimeter × [start, end). Rights are resolved per request from a cache that any change invalidates.
 */
@Export
@Version("1.1.0")
package org.karyo.accesses.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
