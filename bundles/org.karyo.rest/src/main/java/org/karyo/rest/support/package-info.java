/** Helpers that every Karyo REST resource uses: the caller, ETags, list parameters, created responses. */
@Export
@Version("2.2.0")
package org.karyo.rest.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
