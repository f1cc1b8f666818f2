/**
 * Karyo's modules at runtime: the domain features ({@code karyo-*}) a site runs, and the service the console uses to
 * list, install and uninstall them.
 */
@Export
@Version("1.0.0")
package org.karyo.core.modules;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
