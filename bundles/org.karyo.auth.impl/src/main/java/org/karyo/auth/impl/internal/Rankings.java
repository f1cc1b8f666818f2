package org.karyo.auth.impl.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Constants;

/**
 * Whiteboard services kept in service-ranking order (highest first, then the oldest service first), replaced as a
 * whole on every change so that readers iterate without locking.
 */
final class Rankings<T> {
    private record Ranked<T>(T service, int ranking, long id) {}

    private volatile List<Ranked<T>> ranked = List.of();

    synchronized void add(T service, Map<String, ?> properties) {
        List<Ranked<T>> next = new ArrayList<>(ranked);
        next.removeIf(r -> r.service == service);
        next.add(new Ranked<>(service, ranking(properties), id(properties)));
        next.sort(Comparator.comparingInt((Ranked<T> r) -> -r.ranking).thenComparingLong(r -> r.id));
        ranked = List.copyOf(next);
    }

    synchronized void remove(T service) {
        List<Ranked<T>> next = new ArrayList<>(ranked);
        next.removeIf(r -> r.service == service);
        ranked = List.copyOf(next);
    }

    /** The services, highest ranking first. */
    List<T> services() {
        return ranked.stream().map(Ranked::service).toList();
    }

    private static int ranking(Map<String, ?> p) {
        Object r = p == null ? null : p.get(Constants.SERVICE_RANKING);
        return r instanceof Integer i ? i : 0;
    }

    private static long id(Map<String, ?> p) {
        Object r = p == null ? null : p.get(Constants.SERVICE_ID);
        return r instanceof Long l ? l : Long.MAX_VALUE;
    }
}
