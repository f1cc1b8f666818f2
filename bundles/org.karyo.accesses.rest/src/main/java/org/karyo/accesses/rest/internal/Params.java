package org.karyo.accesses.rest.internal;

import java.net.URI;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

/** The access resources' page limit, media type and 201 answer (query parameters: {@link org.karyo.rest.support.QueryParams}). */
final class Params {

    /** The largest page a client may ask for: Cohort360's {@code PAGINATION_MAX_LIMIT}. */
    static final int MAX_LIMIT = 30_000;

    static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    private Params() {}

    /** {@code 201 Created} with {@code Location} = the collection's path + {@code /id}. */
    static Response created(UriInfo uri, long id, Object entity) {
        URI location = uri.getAbsolutePathBuilder().path(Long.toString(id)).build();
        return Response.created(location).entity(entity).build();
    }
}
