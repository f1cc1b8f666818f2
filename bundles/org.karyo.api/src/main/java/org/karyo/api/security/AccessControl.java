package org.karyo.api.security;

import org.karyo.api.gate.GateRequest;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The seam through which an identity module plugs authentication and rights checks into the platform's security
 * extension, as an optional whiteboard service (the highest ranked one is used). Resources and modules do not change
 * when one is installed: they keep declaring {@code @RequiresRight} / {@code @Public} and taking the caller from the
 * security context. It sees plain records, not the REST runtime's types, so an implementation needs no JAX-RS.
 *
 * <p>While none is installed, only {@code @Public} operations are served (as {@link Caller#ANONYMOUS}); every other
 * operation is refused with a 503, fail closed.
 *
 * <p>The security extension calls, for every matched request: {@link #authenticate}, then the request gates, then
 * {@link #authorize}. Both run on the request thread, before the request body is read.
 */
@ConsumerType
public interface AccessControl {

    /**
     * Who makes the request.
     *
     * @param request the request's method, operation and headers (such as {@code Authorization})
     * @return the caller; {@link Caller#ANONYMOUS} when the request carries no credentials
     * @throws org.karyo.api.KaryoException of kind {@link org.karyo.api.Kind#UNAUTHENTICATED} when credentials are
     *     present but invalid
     */
    Caller authenticate(AccessRequest request);

    /**
     * Whether the caller may call a method with the given declaration. Returns to admit.
     *
     * @param caller the authenticated caller
     * @param need what the resource method declared (public or a named right)
     * @param request the request's method and path below {@code /api}
     * @throws org.karyo.api.KaryoException of kind {@link org.karyo.api.Kind#UNAUTHENTICATED} (no identity) or
     *     {@link org.karyo.api.Kind#FORBIDDEN} (identity without the right) to refuse
     */
    void authorize(Caller caller, Declarations.Need need, GateRequest request);
}
