package org.karyo.fhir.impl.internal.store;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.karyo.accesses.api.NewPerimeter;
import org.karyo.accesses.api.Perimeter;
import org.karyo.accesses.api.PerimeterService;

/**
 * The perimeter tree as the FHIR store's tests need it: {@code attach} gives each new node a fresh id and remembers it
 * by local id ({@code fhir.organization.<id>}); nothing else of the service is called.
 */
public final class FakePerimeters {
    private final AtomicLong next;
    private final Map<String, Long> nodes = new ConcurrentHashMap<>();
    private final PerimeterService service;

    /** @param firstId the id below the first node's */
    public FakePerimeters(long firstId) {
        this.next = new AtomicLong(firstId);
        this.service = (PerimeterService) Proxy.newProxyInstance(
                FakePerimeters.class.getClassLoader(), new Class<?>[] {PerimeterService.class}, (p, m, args) -> {
                    if (m.getName().equals("attach")) {
                        NewPerimeter n = (NewPerimeter) args[1];
                        long id = next.incrementAndGet();
                        nodes.put(n.localId(), id);
                        return new Perimeter(
                                id,
                                n.localId(),
                                n.name(),
                                null,
                                null,
                                n.type(),
                                n.parentId(),
                                2,
                                List.of(),
                                n.name(),
                                Optional.empty(),
                                Optional.empty(),
                                0,
                                0,
                                0,
                                "fhir",
                                Instant.now());
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    public PerimeterService service() {
        return service;
    }

    /** The id of the node attached with {@code localId}, or {@code null}. */
    public Long node(String localId) {
        return nodes.get(localId);
    }

    /** Every node attached so far, by local id. */
    public Map<String, Long> nodes() {
        return nodes;
    }
}
