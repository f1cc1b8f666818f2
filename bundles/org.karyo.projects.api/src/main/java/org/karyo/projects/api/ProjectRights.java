package org.karyo.projects.api;

/**
 * The rights the projects module contributes (module {@value #MODULE}). Every one is inherited down the perimeter
 * tree: an access on an institution's node grants it on each of the institution's projects. Keys start with the
 * module's name, as the access module requires of every contributed right.
 */
public final class ProjectRights {
    private ProjectRights() {}

    /** The module that contributes these rights. */
    public static final String MODULE = "projects";

    /** See a project, its investigator, institution and files. */
    public static final String PROJECT_READ = "projects.project.read";

    /**
     * Create and change projects and their files under an institution; held at the root (or a global grant), also
     * create institutions and investigators.
     */
    public static final String PROJECT_MANAGE = "projects.project.manage";

    /** Read participants with their names, birth dates, contact fields and free text. */
    public static final String PARTICIPANT_READ_NOMINATIVE = "projects.participant.read_nominative";

    /** Read pseudonymised participants: a stable pseudonym, no names, birth year only, no contact or free text. */
    public static final String PARTICIPANT_READ_PSEUDONYMIZED = "projects.participant.read_pseudonymized";

    /** Create, change, import and delete participants, their relations and consent documents. */
    public static final String PARTICIPANT_MANAGE = "projects.participant.manage";
}
