package org.karyo.projects.api;

import java.time.LocalDate;
import org.karyo.api.json.Nullable;

/**
 * A participant's consent.
 *
 * @param status the consent today (UTC): {@link ConsentState#EXPIRED} when it was given and its expiry date has
 *     passed
 * @param givenOn when it was signed; required for {@link ConsentState#GIVEN}
 * @param withdrawnOn when it was withdrawn; required for {@link ConsentState#WITHDRAWN}
 * @param expiresOn the last day it is valid, or {@code null} when it does not expire
 * @param document the signed form; required for {@link ConsentState#GIVEN}
 */
public record Consent(
        ConsentState status,
        @Nullable LocalDate givenOn,
        @Nullable LocalDate withdrawnOn,
        @Nullable LocalDate expiresOn,
        @Nullable ConsentDocument document) {}
