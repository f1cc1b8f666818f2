/**
 * The platform's JSON dialect and its errors: the Jackson mappers (snake_case names, strict reading: unknown fields
 * and scalar coercions are errors), the JSON message body provider with its body size limit, and the RFC 9457
 * problem+json documents that every failure is answered with, built by the exception mapper. Internal to this
 * bundle: not exported.
 */
package org.karyo.rest.internal.json;
