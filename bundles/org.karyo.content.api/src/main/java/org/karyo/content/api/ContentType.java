package org.karyo.content.api;

/** What a piece of content is, which decides where and how the user interface shows it. */
public enum ContentType {
    /** A banner that warns users (for example of an upcoming maintenance). */
    BANNER_WARNING("Warning banner", "A banner that warns users, for example of an upcoming maintenance"),
    /** A banner with general information. */
    BANNER_INFO("Information banner", "A banner with general information"),
    /** A banner that reports an error or an outage. */
    BANNER_ERROR("Error banner", "A banner that reports an error or an outage"),
    /** The notes of a release. */
    RELEASE_NOTE("Release note", "The notes of a release");

    private final String label;
    private final String description;

    ContentType(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** A short human-readable name. */
    public String label() {
        return label;
    }

    /** One sentence on what the type is for. */
    public String description() {
        return description;
    }

    /** This type as the entry of the list of content types. */
    public ContentTypeInfo info() {
        return new ContentTypeInfo(this, label, description);
    }
}
