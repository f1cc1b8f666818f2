/**
 * The wiring of the {@code karyo} JAX-RS application: the application itself and its settings, the edge filter
 * (request ids, forwarded headers, CORS, security headers), the query and body checks, and the root resource. The
 * concerns it wires live in the sub-packages: {@code json} (the JSON dialect and problem+json errors),
 * {@code security} (the security extension), {@code openapi} (the OpenAPI document and the docs page),
 * {@code health} (health and readiness) and {@code whiteboard} (the workarounds for the JAX-RS whiteboard's
 * rebuilds). Internal to this bundle: not exported.
 */
package org.karyo.rest.internal;
