package org.karyo.content.rest.internal;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PATCH;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.karyo.api.Filters;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.Validator;
import org.karyo.api.security.Public;
import org.karyo.api.security.RequiresRight;
import org.karyo.content.api.Content;
import org.karyo.content.api.ContentPatch;
import org.karyo.content.api.ContentQuery;
import org.karyo.content.api.ContentRights;
import org.karyo.content.api.ContentService;
import org.karyo.content.api.ContentType;
import org.karyo.content.api.ContentTypeInfo;
import org.karyo.content.api.NewContent;
import org.karyo.rest.support.Callers;
import org.karyo.rest.support.ETags;
import org.karyo.rest.support.Karyo;
import org.karyo.rest.support.Operation;
import org.karyo.rest.support.Param;
import org.karyo.rest.support.PathIds;
import org.karyo.rest.support.Responses;
import org.karyo.rest.support.Returns;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/webcontent/contents}: banners and release notes (Cohort360 {@code content_management}). Reads are
 * public; writes need {@value ContentRights#MANAGE}. The resource only decodes the request and calls {@link ContentService}.
 */
@Component(service = ContentResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@JSONRequired
@Path("webcontent/contents")
@Produces(MediaType.APPLICATION_JSON)
public class ContentResource {

    static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    private static final String WHAT = "content";

    private final ContentService contents;

    @Activate
    public ContentResource(@Reference ContentService contents) {
        this.contents = contents;
    }

    /**
     * One page of content. Filters: {@code content_type=A,B}, {@code page_source=p1,p2}, {@code search=} (title or
     * text, case-insensitive); {@code ordering} from {@link ContentQuery#ORDERABLE}, newest first by default.
     */
    @GET
    @Public
    @Operation(id = "listContents", summary = "List content items")
    public Page<Content> list(
            @QueryParam("content_type")
                    @Param(
                            description = "Only these content types",
                            allowed = {"BANNER_WARNING", "BANNER_INFO", "BANNER_ERROR", "RELEASE_NOTE"},
                            list = true)
                    String contentType,
            @QueryParam("page_source") @Param(description = "Only content shown on these pages (comma-separated)")
                    String pageSource,
            @QueryParam("search") @Param(description = "Text in the title or the text, case-insensitive") String search,
            @QueryParam("limit") String limit,
            @QueryParam("offset") String offset,
            @QueryParam("ordering")
                    @Param(
                            description = "Sort keys, a leading - for descending; newest first by default",
                            allowed = {
                                "title",
                                "-title",
                                "page",
                                "-page",
                                "content_type",
                                "-content_type",
                                "created_at",
                                "-created_at",
                                "modified_at",
                                "-modified_at"
                            },
                            list = true)
                    String ordering,
            @Context SecurityContext security) {
        Validator v = new Validator();
        Set<ContentType> types =
                v.collect(() -> Filters.values("content_type", contentType, ContentType::valueOf), Set.of());
        PageRequest page = v.collect(
                // the service enforces the configured largest page (max.page.size)
                () -> PageRequest.parse(
                        limit,
                        offset,
                        ordering,
                        ContentQuery.ORDERABLE,
                        ContentQuery.DEFAULT_ORDERING,
                        Integer.MAX_VALUE),
                null);
        v.throwIfInvalid();
        ContentQuery query = new ContentQuery(types, Filters.values(pageSource), search, page);
        return contents.list(Callers.of(security), query);
    }

    /** The content types, with a label and a description each. */
    @GET
    @Path("content_types")
    @Public
    @Operation(id = "listContentTypes", summary = "List the content types")
    public List<ContentTypeInfo> contentTypes() {
        return contents.contentTypes();
    }

    /** One content, with its version as ETag. */
    @GET
    @Path("{id}")
    @Public
    @Operation(id = "getContent", summary = "Get a content item")
    @Returns(value = Content.class, etag = true)
    public Response get(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The content item's id") String id,
            @Context SecurityContext security) {
        Content c = contents.get(Callers.of(security), PathIds.parse(id, WHAT));
        return Responses.ok(c, c.version());
    }

    /** Creates a content: {@code 201} with {@code Location} and {@code ETag}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(ContentRights.MANAGE)
    @Operation(id = "createContent", summary = "Create a content item")
    @Returns(value = Content.class, status = 201)
    public Response create(NewContent body, @Context UriInfo uri, @Context SecurityContext security) {
        Content c = contents.create(Callers.of(security), body);
        return Responses.created(uri, c.id(), c, c.version());
    }

    /** Changes the fields the body gives (metadata, when given, replaces the map); optional {@code If-Match}. */
    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, MERGE_PATCH_JSON})
    @RequiresRight(ContentRights.MANAGE)
    @Operation(id = "updateContent", summary = "Change some fields of a content item")
    @Returns(value = Content.class, etag = true)
    public Response update(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The content item's id") String id,
            ContentPatch body,
            @Context HttpHeaders headers,
            @Context SecurityContext security) {
        long key = PathIds.parse(id, WHAT);
        OptionalLong expected = ETags.ifMatch(headers);
        Content c = contents.update(Callers.of(security), key, body, expected);
        return Responses.ok(c, c.version());
    }

    /** Replaces the whole content (an absent page or metadata is removed); optional {@code If-Match}. */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRight(ContentRights.MANAGE)
    @Operation(id = "replaceContent", summary = "Replace a content item")
    @Returns(value = Content.class, etag = true)
    public Response replace(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The content item's id") String id,
            NewContent body,
            @Context HttpHeaders headers,
            @Context SecurityContext security) {
        long key = PathIds.parse(id, WHAT);
        OptionalLong expected = ETags.ifMatch(headers);
        Content c = contents.replace(Callers.of(security), key, body, expected);
        return Responses.ok(c, c.version());
    }

    /** Soft-deletes a content: {@code 204}; optional {@code If-Match}. */
    @DELETE
    @Path("{id}")
    @RequiresRight(ContentRights.MANAGE)
    @Operation(id = "deleteContent", summary = "Delete a content item")
    @Returns(value = Void.class, status = 204)
    public Response delete(
            @PathParam("id") @Param(kind = Param.Kind.ID, description = "The content item's id") String id,
            @Context HttpHeaders headers,
            @Context SecurityContext security) {
        long key = PathIds.parse(id, WHAT);
        contents.delete(Callers.of(security), key, ETags.ifMatch(headers));
        return Response.noContent().build();
    }
}
