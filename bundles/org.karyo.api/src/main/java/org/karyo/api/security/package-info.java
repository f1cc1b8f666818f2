/** Callers and the declarations of what a REST method needs ({@link org.karyo.api.security.RequiresRight}, {@link org.karyo.api.security.Public}). */
@Export
@Version("1.2.0")
package org.karyo.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
