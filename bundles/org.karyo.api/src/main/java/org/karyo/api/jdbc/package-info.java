/** Plain JDBC for the modules' hand-written SQL, over the platform's transaction-aware DataSource. */
@Export
@Version("1.0.0")
package org.karyo.api.jdbc;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
