/** The platform's audit trail: what modules record for every write and every read of patient-level data. */
@Export
@Version("1.0.0")
package org.karyo.api.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
