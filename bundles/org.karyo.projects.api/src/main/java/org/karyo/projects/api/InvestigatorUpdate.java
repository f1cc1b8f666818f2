package org.karyo.projects.api;

import org.karyo.api.json.Nullable;

/** The new state of an investigator (PUT): the institution never changes; an absent e-mail or phone is removed. */
public record InvestigatorUpdate(String firstName, String lastName, @Nullable String email, @Nullable String phone) {}
