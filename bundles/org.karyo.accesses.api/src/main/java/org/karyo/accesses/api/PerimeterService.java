package org.karyo.accesses.api;

import java.io.InputStream;
import java.util.List;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The perimeter tree. A caller sees the nodes on which it holds any right, their descendants for inherited rights,
 * and their ancestors (to navigate); full administrators see all. Other nodes answer NOT_FOUND.
 */
@ProviderType
public interface PerimeterService {

    Page<Perimeter> list(Caller caller, PerimeterQuery query, PageRequest page);

    Perimeter get(Caller caller, long id);

    Page<Perimeter> children(Caller caller, long id, PageRequest page);

    /**
     * Cohort360's {@code perimeters/manageable}: the caller's top manageable nodes, or with {@code withDescendants}
     * those plus all their descendants, filtered by {@code query}.
     */
    List<Perimeter> manageable(Caller caller, boolean withDescendants, PerimeterQuery query);

    /**
     * The site root: the root node whose {@code local_id} is the configured {@code root.local_id} (created at the first
     * start), else the oldest root. Nodes added without a parent go under it.
     *
     * @throws org.karyo.api.KaryoException NOT_FOUND when the tree is empty
     */
    Perimeter root();

    /**
     * Adds a node (full administrator), under the {@linkplain #root() site root} when it names no parent (the first node
     * of an empty tree becomes the root). Audited.
     */
    Perimeter create(Caller caller, NewPerimeter perimeter);

    /**
     * Adds a node on behalf of a module, inside the module's own unit of work, after the module checked the caller's
     * right on the parent (a project node under its institution's node). Not audited separately: the module audits
     * its own write. Without a parent, the node goes under the {@linkplain #root() site root} (the first node of an
     * empty tree becomes the root).
     *
     * @param owner the module that owns the node
     */
    Perimeter attach(String owner, NewPerimeter perimeter);

    /**
     * Imports Cohort360's {@code perimeters.csv} (columns {@code id, local_id, name, short_name, source_value,
     * type_source_value, parent_id} with a header; other columns ignored), all or nothing: new nodes are added,
     * existing ones (by {@code local_id}) updated. Full administrator.
     */
    ImportReport importCsv(Caller caller, InputStream csv);

    /** What an import did. */
    record ImportReport(int created, int updated, int unchanged) {}
}
