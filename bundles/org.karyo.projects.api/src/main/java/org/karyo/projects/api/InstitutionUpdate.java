package org.karyo.projects.api;

import org.karyo.api.json.Nullable;

/**
 * The new state of an institution (PUT): its code and perimeter node never change; an absent department or address
 * is removed.
 */
public record InstitutionUpdate(String name, @Nullable String department, @Nullable String address) {}
