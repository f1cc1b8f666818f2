/**
 * The contract of Karyo's identity module (Cohort360 {@code admin_cohort} auth): users, password and OIDC login,
 * short-lived access tokens with rotating refresh tokens, TOTP second factor, service-account API tokens, and the
 * {@link org.karyo.auth.api.AuthenticationProvider} and {@link org.karyo.auth.api.IdentityProvider} plug-in points.
 */
@Export
@Version("1.1.0")
package org.karyo.auth.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
