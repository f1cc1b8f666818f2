package org.karyo.accesses.rest.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.karyo.accesses.api.Access;
import org.karyo.accesses.api.AccessQuery;
import org.karyo.accesses.api.AccessService;
import org.karyo.accesses.api.NewAccess;
import org.karyo.api.Page;
import org.karyo.api.PageRequest;
import org.karyo.api.security.Caller;

/** An access service that records what it was asked and answers with sample accesses. */
final class FakeAccesses implements AccessService {
    final List<String> calls = new ArrayList<>();
    Caller caller;
    AccessQuery query;
    PageRequest page;
    NewAccess created;
    Optional<Instant> start;
    Optional<Instant> end;
    boolean expiring;
    List<Long> perimeterIds;
    List<String> cohortIds;
    ReadMode mode;

    @Override
    public Page<Access> list(Caller caller, AccessQuery query, PageRequest page) {
        record("list", caller);
        this.query = query;
        this.page = page;
        return new Page<>(
                41,
                page.limit(),
                page.offset(),
                List.of(Fixtures.access(1, Optional.of(5L)), Fixtures.access(2, Optional.empty())));
    }

    @Override
    public Access get(Caller caller, long id) {
        record("get " + id, caller);
        return Fixtures.access(id, Optional.of(5L));
    }

    @Override
    public Access create(Caller caller, NewAccess access) {
        record("create", caller);
        this.created = access;
        return Fixtures.access(77, Optional.of(access.perimeterId()));
    }

    @Override
    public Access patchDates(Caller caller, long id, Optional<Instant> start, Optional<Instant> end) {
        record("patch " + id, caller);
        this.start = start;
        this.end = end;
        return Fixtures.access(id, Optional.of(5L));
    }

    @Override
    public Access close(Caller caller, long id) {
        record("close " + id, caller);
        return Fixtures.access(id, Optional.of(5L));
    }

    @Override
    public void delete(Caller caller, long id) {
        record("delete " + id, caller);
    }

    @Override
    public List<Access> myAccesses(Caller caller, boolean expiring) {
        record("mine", caller);
        this.expiring = expiring;
        return List.of(Fixtures.access(3, Optional.of(5L)));
    }

    @Override
    public List<DataRight> myDataRights(Caller caller, List<Long> perimeterIds) {
        record("my-data-rights", caller);
        this.perimeterIds = perimeterIds;
        return List.of(new DataRight(5, "Lab", true, false, true, false, true, false, true));
    }

    @Override
    public Page<DataRight> patientDataRights(Caller caller, PageRequest page) {
        record("patient-data-rights", caller);
        this.page = page;
        return new Page<>(
                1,
                page.limit(),
                page.offset(),
                List.of(new DataRight(6, "Ward", false, true, false, true, false, true, false)));
    }

    @Override
    public ReadPermission patientDataRead(
            Caller caller, List<Long> perimeterIds, List<String> cohortIds, ReadMode mode) {
        record("read", caller);
        this.perimeterIds = perimeterIds;
        this.cohortIds = cohortIds;
        this.mode = mode;
        return new ReadPermission(true, false, true, false);
    }

    @Override
    public List<Access> endingBetween(Instant from, Instant to) {
        throw new AssertionError("not a REST operation");
    }

    private void record(String call, Caller c) {
        calls.add(call);
        this.caller = c;
    }
}
