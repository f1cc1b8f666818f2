package org.karyo.rest.support;

/** Constants of the one Karyo JAX-RS application. */
public final class Karyo {
    private Karyo() {}

    /** The application's name ({@code osgi.jaxrs.name}). */
    public static final String APPLICATION = "karyo";

    /** The filter every resource and extension uses in {@code @JaxrsApplicationSelect}. */
    public static final String APPLICATION_SELECT = "(osgi.jaxrs.name=karyo)";

    /**
     * The request property that holds the matched operation's path template below {@code /api} (for example
     * {@code /users/{username}}): what an access control records instead of the path, which may carry names.
     */
    public static final String OPERATION_TEMPLATE = "karyo.operation.template";

    /** The media type of every error. */
    public static final String PROBLEM_JSON = "application/problem+json";
}
