/**
 * The contract of Karyo's projects module (EBDMS {@code projects}): institutions, principal investigators, projects
 * (each a perimeter node of type {@code project} under its institution's node of type {@code institution}),
 * participants with their consent and diagnoses, relations between participants and the files attached to a project.
 *
 * <p>Other modules use {@link org.karyo.projects.api.ProjectDirectory}: it answers what they need to know about a
 * project and its participants, and checks a caller's right on a project the way the projects module does (a
 * project the caller may not see does not exist). Rights keys are in {@link org.karyo.projects.api.ProjectRights}.
 */
@Export
@Version("2.1.0")
package org.karyo.projects.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
