/** Module schemas: per-module migrations and the readiness they gate. */
@Export
@Version("1.1.0")
package org.karyo.api.module;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
