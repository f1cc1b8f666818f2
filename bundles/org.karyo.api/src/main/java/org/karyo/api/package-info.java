/** Platform-wide contracts: {@link org.karyo.api.KaryoException}, paging and list queries. */
@Export
@Version("1.2.0")
package org.karyo.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
