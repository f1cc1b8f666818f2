/** Request gates: platform-wide admission rules (maintenance mode and the like) that modules contribute. */
@Export
@Version("1.0.0")
package org.karyo.api.gate;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
