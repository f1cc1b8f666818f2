/**
 * The security extension: the request filter that authenticates the caller and checks the right each operation
 * declares through the installed access control (and the maintenance gates), the security context it sets, the
 * platform's own rights, and the readiness check that waits for an access control. Internal to this bundle: not
 * exported.
 */
package org.karyo.rest.internal.security;
