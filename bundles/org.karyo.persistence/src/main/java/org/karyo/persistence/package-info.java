/**
 * The one way Karyo modules use PostgreSQL (see {@code docs/design/persistence.md}):
 *
 * <ul>
 *   <li><b>Reads and lists</b> are a {@link org.karyo.persistence.Select} (conditions, ordering whitelist, paging,
 *       count) run by {@link org.karyo.persistence.Sql}, whose rows map straight to the module's API records;
 *   <li><b>Writes</b> run in {@link org.karyo.persistence.Writes#write}: one platform unit of work around the module's
 *       JPA entities (and, for set-based or compare-and-set changes, statements of the same transaction), with the
 *       audit entry last; a lost optimistic lock becomes PRECONDITION_FAILED (412) and a unique violation CONFLICT
 *       (409);
 *   <li><b>raw JDBC</b> ({@link org.karyo.persistence.Sql#raw}) only for locks, {@code COPY} and streaming cursors,
 *       each place marked with a one-line reason.
 * </ul>
 */
@Export
@Version("2.1.0")
package org.karyo.persistence;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
