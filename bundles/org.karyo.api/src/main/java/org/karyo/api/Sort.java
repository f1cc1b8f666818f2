package org.karyo.api;

/**
 * One ordering key of a list query.
 *
 * @param field a field name from the resource's whitelist
 * @param descending whether the order is descending ({@code -field} on the wire)
 */
public record Sort(String field, boolean descending) {}
