/**
 * The contract of Karyo's web content module (Cohort360 {@code content_management}): banners and release notes that
 * the user interface shows, with a small metadata map, listed with filters and paging, soft-deleted.
 */
@Export
@Version("1.1.0")
package org.karyo.content.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
