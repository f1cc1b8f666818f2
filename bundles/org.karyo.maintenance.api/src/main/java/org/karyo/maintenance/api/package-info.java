/**
 * Maintenance phases: planned windows during which the platform refuses writes ({@code partial}) or every request
 * ({@code full}), as Cohort360's {@code MaintenancePhase}.
 */
@Export
@Version("1.1.0")
package org.karyo.maintenance.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
