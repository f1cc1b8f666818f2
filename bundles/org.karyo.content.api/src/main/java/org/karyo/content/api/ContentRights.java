package org.karyo.content.api;

/**
 * The rights the web content module contributes (module {@value #MODULE}), declared once here: the module's
 * {@code RightContributor} registers them and its resources require them.
 */
public final class ContentRights {
    private ContentRights() {}

    /** The module that contributes these rights. */
    public static final String MODULE = "content";

    /** Create, change and delete banners and release notes (a global right). */
    public static final String MANAGE = "content.manage";
}
