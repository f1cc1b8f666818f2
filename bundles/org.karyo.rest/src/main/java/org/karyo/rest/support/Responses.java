package org.karyo.rest.support;

import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

/** The platform's response conventions: {@code 201 + Location + ETag} on create, ETag on single reads. */
public final class Responses {
    private Responses() {}

    /** {@code 201 Created} with {@code Location} = the request path + {@code /id}, the entity and its ETag. */
    public static Response created(UriInfo uri, Object id, Object entity, long version) {
        return Response.created(
                        uri.getAbsolutePathBuilder().path(String.valueOf(id)).build())
                .tag(ETags.of(version))
                .entity(entity)
                .build();
    }

    /** {@code 200 OK} with the entity and its ETag. */
    public static Response ok(Object entity, long version) {
        return Response.ok(entity).tag(ETags.of(version)).build();
    }
}
