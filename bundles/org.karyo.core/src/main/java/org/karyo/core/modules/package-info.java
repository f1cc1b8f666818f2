/**
 * Karyo's modules at runtime: the domain features ({@code karyo-*}) a site runs, the service that lists, installs and
 * uninstalls them (for the console and {@code /api/modules}), and the right it takes.
 */
@Export
@Version("2.0.0")
package org.karyo.core.modules;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
