package org.karyo.accesses.rest.internal;

/**
 * A reference to another object in a response: its id and display name.
 *
 * @param id the object's id
 * @param name its name
 */
record IdName(long id, String name) {}
