/**
 * How the platform's JSON shapes are described to clients: {@link org.karyo.api.json.Nullable} and
 * {@link org.karyo.api.json.AllowedValues}.
 */
@Export
@Version("1.0.0")
package org.karyo.api.json;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
