package org.karyo.projects.api;

/** A participant's administrative gender, as EBDMS records it. */
public enum Gender {
    MALE,
    FEMALE
}
