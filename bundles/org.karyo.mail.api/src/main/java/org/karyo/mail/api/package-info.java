/** Outgoing e-mail: the {@link org.karyo.mail.api.Mailer} that modules send through. */
@Export
@Version("1.0.0")
package org.karyo.mail.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
