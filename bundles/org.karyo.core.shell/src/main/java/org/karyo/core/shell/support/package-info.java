/** What every Karyo console command shares: the caller on whose behalf it acts. */
@Export
@Version("1.1.0")
package org.karyo.core.shell.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
