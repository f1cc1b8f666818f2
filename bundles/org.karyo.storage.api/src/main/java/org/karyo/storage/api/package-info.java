/**
 * Object storage as domain modules see it: {@link org.karyo.storage.api.ObjectStore} (put, multipart, get, ranged
 * get, stat, list, delete, presigned URLs) and {@link org.karyo.storage.api.ObjectReferences}, through which a module
 * tells the sweeper which of its objects rows still reference. No storage SDK type crosses this package.
 */
@Export
@Version("2.0.0")
package org.karyo.storage.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
