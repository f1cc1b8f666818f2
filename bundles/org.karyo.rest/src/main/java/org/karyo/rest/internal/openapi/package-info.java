/**
 * The API's description: the OpenAPI document generated from the resources the JAX-RS whiteboard serves
 * ({@code /api/openapi.json}), the schemas of their records, and the docs page ({@code /api/docs}, Swagger UI) that
 * renders it. Internal to this bundle: not exported.
 */
package org.karyo.rest.internal.openapi;
