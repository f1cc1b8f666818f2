package org.karyo.projects.api;

import org.karyo.api.json.Nullable;

/** An investigator to create in an institution. */
public record NewInvestigator(
        long institutionId, String firstName, String lastName, @Nullable String email, @Nullable String phone) {}
