package org.karyo.projects.api;

/** The new state of an investigator (PUT): the institution never changes; an absent e-mail or phone is removed. */
public record InvestigatorUpdate(String firstName, String lastName, String email, String phone) {}
