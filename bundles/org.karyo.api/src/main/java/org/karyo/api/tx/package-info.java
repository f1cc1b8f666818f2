/** One database transaction per write, shared by every module that appends to it. */
@Export
@Version("1.0.0")
package org.karyo.api.tx;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
