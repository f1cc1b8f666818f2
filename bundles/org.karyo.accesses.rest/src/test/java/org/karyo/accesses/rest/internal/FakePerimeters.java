package org.karyo.accesses.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.karyo.accesses.api.NewPerimeter;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterQuery;
import org.karyo.accesses.api.PerimeterService;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;

/** A perimeter service that records what it was asked. */
final class FakePerimeters implements PerimeterService {
    final List<String> calls = new ArrayList<>();
    Caller caller;
    PerimeterQuery query;
    PageRequest page;
    Boolean withDescendants;
    NewPerimeter created;
    String csv;

    @Override
    public Page<Perimeter> list(Caller caller, PerimeterQuery query, PageRequest page) {
        record("list", caller);
        this.query = query;
        this.page = page;
        return new Page<>(1, page.limit(), page.offset(), List.of(Fixtures.perimeter(2, Optional.of(1L), List.of(1L))));
    }

    @Override
    public Perimeter get(Caller caller, long id) {
        record("get " + id, caller);
        return Fixtures.perimeter(id, Optional.empty(), List.of());
    }

    @Override
    public Page<Perimeter> children(Caller caller, long id, PageRequest page) {
        record("children " + id, caller);
        this.page = page;
        return new Page<>(
                1, page.limit(), page.offset(), List.of(Fixtures.perimeter(id + 1, Optional.of(id), List.of(id))));
    }

    @Override
    public List<Perimeter> manageable(Caller caller, boolean withDescendants, PerimeterQuery query) {
        record("manageable", caller);
        this.withDescendants = withDescendants;
        this.query = query;
        return List.of(Fixtures.perimeter(1, Optional.empty(), List.of()));
    }

    @Override
    public Perimeter root() {
        throw new UnsupportedOperationException("root");
    }

    @Override
    public Perimeter create(Caller caller, NewPerimeter perimeter) {
        record("create", caller);
        this.created = perimeter;
        return Fixtures.perimeter(
                31, perimeter.parentId(), perimeter.parentId().map(List::of).orElse(List.of()));
    }

    @Override
    public Perimeter attach(String owner, NewPerimeter perimeter) {
        throw new AssertionError("not a REST operation");
    }

    @Override
    public ImportReport importCsv(Caller caller, InputStream csv) {
        record("import", caller);
        try {
            this.csv = new String(csv.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ImportReport(2, 1, 7);
    }

    private void record(String call, Caller c) {
        calls.add(call);
        this.caller = c;
    }
}
