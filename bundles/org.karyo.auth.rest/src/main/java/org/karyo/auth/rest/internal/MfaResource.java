package org.karyo.auth.rest.internal;

import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import org.karyo.api.security.Authenticated;
import org.karyo.auth.api.MfaService;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.Fails;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/auth/mfa}: the caller's own TOTP second factor (RFC 6238). Resetting another user's is
 * {@code POST /api/users/{username}/mfa/reset} in {@link UserResource}.
 */
@Component(service = MfaResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("auth/mfa")
@Produces(MediaType.APPLICATION_JSON)
public class MfaResource {

    private final MfaService mfa;

    @Activate
    public MfaResource(@Reference MfaService mfa) {
        this.mfa = mfa;
    }

    /** Starts (or restarts) enrolment: a new secret, shown once, that takes effect once confirmed. */
    @POST
    @Path("enrol")
    @Authenticated
    @Operation(id = "enrolMfa", summary = "Start enrolling a second factor")
    @Fails(409)
    public MfaEnrolmentJson enrol(@Context SecurityContext security) {
        MfaService.MfaEnrolment e = mfa.enrol(Callers.of(security));
        return new MfaEnrolmentJson(e.otpauthUri(), e.secret());
    }

    /** Confirms enrolment with {@code {code}}, a current one-time code; answers the recovery codes, shown once. */
    @POST
    @Path("confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    @Operation(id = "confirmMfa", summary = "Confirm a second factor and get its recovery codes")
    @Fails({409, 429})
    public RecoveryCodesJson confirm(CodeBody body, @Context SecurityContext security) {
        String code = body.required();
        return new RecoveryCodesJson(mfa.confirm(Callers.of(security), code));
    }

    /** Removes the caller's second factor; {@code {code}} is a current one-time code or a recovery code. {@code 204}. */
    @POST
    @Path("disable")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    @Operation(id = "disableMfa", summary = "Remove the caller's second factor")
    @Returns(value = Void.class, status = 204)
    @Fails({409, 429})
    public Response disable(CodeBody body, @Context SecurityContext security) {
        String code = body.required();
        mfa.disable(Callers.of(security), code);
        return Response.noContent().build();
    }
}
