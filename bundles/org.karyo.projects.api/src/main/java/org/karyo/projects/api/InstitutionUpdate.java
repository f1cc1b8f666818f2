package org.karyo.projects.api;

/**
 * The new state of an institution (PUT): its code and perimeter node never change; an absent department or address
 * is removed.
 */
public record InstitutionUpdate(String name, String department, String address) {}
