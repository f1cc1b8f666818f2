package org.karyo.fhir.api;

/** The FHIR RESTful interactions, as the CapabilityStatement names them. */
public enum Interaction {
    READ("read"),
    VREAD("vread"),
    UPDATE("update"),
    PATCH("patch"),
    DELETE("delete"),
    HISTORY_INSTANCE("history-instance"),
    HISTORY_TYPE("history-type"),
    CREATE("create"),
    SEARCH_TYPE("search-type"),
    TRANSACTION("transaction"),
    BATCH("batch"),
    SEARCH_SYSTEM("search-system"),
    HISTORY_SYSTEM("history-system"),
    OPERATION("operation");

    private final String code;

    Interaction(String code) {
        this.code = code;
    }

    /** The CapabilityStatement code ({@code search-type}). */
    public String code() {
        return code;
    }

    /** Whether the interaction changes data. */
    public boolean writes() {
        return this == UPDATE || this == PATCH || this == DELETE || this == CREATE || this == TRANSACTION;
    }
}
