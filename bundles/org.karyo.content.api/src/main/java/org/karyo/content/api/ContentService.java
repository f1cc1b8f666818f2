package org.karyo.content.api;

import java.util.List;
import java.util.OptionalLong;
import org.karyo.api.KaryoException;
import org.karyo.api.Page;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Web content: banners and release notes. Every method takes the caller, so that object-level checks can live here.
 * Soft-deleted content is invisible to every method. Failures are {@link KaryoException}s: {@code INVALID} naming
 * every bad field (nothing is written), {@code NOT_FOUND}, and {@code PRECONDITION_FAILED} when {@code
 * expectedVersion} is stale (nothing is written).
 */
@ProviderType
public interface ContentService {

    /** One page of the content that matches {@code query}. */
    Page<Content> list(Caller caller, ContentQuery query);

    /** One content. */
    Content get(Caller caller, long id);

    /** Creates a content; its version is 1. */
    Content create(Caller caller, NewContent content);

    /**
     * Changes the fields {@code patch} gives and leaves the others as they are.
     *
     * @param expectedVersion the version the caller last saw ({@code If-Match}), or empty to skip the check
     */
    Content update(Caller caller, long id, ContentPatch patch, OptionalLong expectedVersion);

    /**
     * Replaces the whole state of a content (PUT): an absent page or metadata is removed.
     *
     * @param expectedVersion the version the caller last saw ({@code If-Match}), or empty to skip the check
     */
    Content replace(Caller caller, long id, NewContent content, OptionalLong expectedVersion);

    /**
     * Soft-deletes a content: from then on it is invisible.
     *
     * @param expectedVersion the version the caller last saw ({@code If-Match}), or empty to skip the check
     */
    void delete(Caller caller, long id, OptionalLong expectedVersion);

    /** Every content type, in a stable order. */
    List<ContentTypeInfo> contentTypes();
}
