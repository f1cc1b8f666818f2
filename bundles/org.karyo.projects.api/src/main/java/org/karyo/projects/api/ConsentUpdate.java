package org.karyo.projects.api;

import java.time.LocalDate;
import org.karyo.api.json.AllowedValues;
import org.karyo.api.json.Nullable;

/**
 * The new consent of a participant (PUT). Rules: {@link ConsentState#GIVEN} needs {@code givenOn} (not in the
 * future) and an uploaded consent document, and no {@code withdrawnOn}; {@link ConsentState#WITHDRAWN} needs
 * {@code withdrawnOn} (not in the future, not before {@code givenOn}); {@link ConsentState#PENDING} has neither date;
 * {@link ConsentState#EXPIRED} is never set, it is computed; {@code expiresOn} must be after {@code givenOn}.
 */
public record ConsentUpdate(
        @AllowedValues({"PENDING", "GIVEN", "WITHDRAWN"}) ConsentState status,
        @Nullable LocalDate givenOn,
        @Nullable LocalDate withdrawnOn,
        @Nullable LocalDate expiresOn) {}
