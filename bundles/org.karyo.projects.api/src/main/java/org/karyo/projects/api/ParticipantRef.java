package org.karyo.projects.api;

import java.util.List;

/**
 * What other modules need to know about a participant.
 *
 * @param id the participant's id
 * @param projectId the project it belongs to
 * @param identifier the nominative-free Karyo identifier {@code <institution code>-<project code>-<n>}, assigned once
 *     from a per-project sequence and never changed
 * @param sampleIds the sample names by which genomic files (VCF columns) refer to the participant; unique within the
 *     project
 * @param consent the participant's consent today (UTC): {@link ConsentState#EXPIRED} when a given consent's expiry
 *     date has passed
 */
public record ParticipantRef(long id, long projectId, String identifier, List<String> sampleIds, ConsentState consent) {
    public ParticipantRef {
        sampleIds = List.copyOf(sampleIds);
    }
}
