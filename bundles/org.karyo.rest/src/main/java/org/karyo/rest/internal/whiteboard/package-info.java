/**
 * Workarounds for the JAX-RS whiteboard, fenced off here. When an extension or a resource of the {@code karyo}
 * application comes or goes (a module is installed, started or removed), the whiteboard rebuilds the application:
 * it destroys its CXF endpoint and builds a new one. A request that arrives in that window finds no endpoint, an
 * endpoint that does not yet hold every resource, or an endpoint destroyed under it; one that arrives while the
 * platform boots finds no application at all. The servlet filter here holds such requests back and replays them,
 * with their bodies, once the new endpoint answers, and answers a quick 503 before the application exists; the
 * whiteboard's runtime DTOs are read here too, to tell which resources it actually serves. These classes exist only
 * because of that rebuilding behaviour: nothing else belongs in this package, and it should shrink, not grow, if
 * the whiteboard learns to swap an application without a gap. Internal to this bundle: not exported.
 */
package org.karyo.rest.internal.whiteboard;
