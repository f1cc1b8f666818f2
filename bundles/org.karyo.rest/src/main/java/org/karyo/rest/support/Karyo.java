package org.karyo.rest.support;

/** Constants of the one Karyo JAX-RS application. */
public final class Karyo {
    private Karyo() {}

    /** The application's name ({@code osgi.jaxrs.name}). */
    public static final String APPLICATION = "karyo";

    /** The filter every resource and extension uses in {@code @JaxrsApplicationSelect}. */
    public static final String APPLICATION_SELECT = "(osgi.jaxrs.name=karyo)";

    /** The media type of every error. */
    public static final String PROBLEM_JSON = "application/problem+json";
}
