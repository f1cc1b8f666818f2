package org.karyo.projects.api;

/** An investigator to create in an institution. */
public record NewInvestigator(long institutionId, String firstName, String lastName, String email, String phone) {}
