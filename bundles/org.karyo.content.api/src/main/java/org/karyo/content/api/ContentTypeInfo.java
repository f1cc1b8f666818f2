package org.karyo.content.api;

/**
 * One entry of the list of content types that a client offers in its editor.
 *
 * @param value the type, as it appears in {@code content_type}
 * @param label a short human-readable name
 * @param description what the type is for
 */
public record ContentTypeInfo(ContentType value, String label, String description) {}
