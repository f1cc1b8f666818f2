package org.karyo.auth.api;

/** Whether a user is a person or a service account (Cohort360's executor, ETL and rollout users). */
public enum UserKind {
    PERSON,
    SERVICE
}
