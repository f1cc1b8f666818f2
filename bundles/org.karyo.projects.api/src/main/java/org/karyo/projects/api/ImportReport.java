package org.karyo.projects.api;

/**
 * What a participant import did, all or nothing.
 *
 * @param created rows without an identifier: new participants
 * @param updated rows with the identifier of an existing participant of the project: replaced
 */
public record ImportReport(int created, int updated) {}
