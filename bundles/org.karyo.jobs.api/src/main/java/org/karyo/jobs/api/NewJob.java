package org.karyo.jobs.api;

import java.util.Map;
import java.util.Objects;

/**
 * A job to submit. Build it with {@link #of(String)} and the {@code with…} methods.
 *
 * @param type the job type, {@code <module>.<name>}; a {@link JobHandler} for it must be registered
 * @param key a key of the module's choosing (at most 200 characters) to find the job again, or {@code null}
 * @param payload what the handler needs (opaque ids, not patient data; at most 64 KiB in all)
 * @param unit what its progress counts ({@code bytes}, {@code rows}, {@code items}, the default)
 * @param total how much there is to do, when known at submission, else {@code null}
 * @param supersede whether submitting it cancels the unfinished jobs of the same type and key, in the same unit of
 *     work (a newer count of the same request replaces the older ones)
 * @param node the node that must run it, or {@code null} for any node (node-local work: a cache of that node)
 */
public record NewJob(
        String type, String key, Map<String, String> payload, String unit, Long total, boolean supersede, String node) {

    /** The unit of progress when none is given. */
    public static final String DEFAULT_UNIT = "items";

    public NewJob {
        Objects.requireNonNull(type, "type");
        payload = payload == null ? Map.of() : Map.copyOf(payload);
        unit = unit == null ? DEFAULT_UNIT : unit;
    }

    /** A job of {@code type} with no key and no payload, counting items. */
    public static NewJob of(String type) {
        return new NewJob(type, null, Map.of(), DEFAULT_UNIT, null, false, null);
    }

    public NewJob withKey(String k) {
        return new NewJob(type, k, payload, unit, total, supersede, node);
    }

    public NewJob withPayload(Map<String, String> p) {
        return new NewJob(type, key, p, unit, total, supersede, node);
    }

    /** This job counting {@code u} ({@code bytes}, {@code rows}…) with {@code t} to do ({@code null} if unknown). */
    public NewJob withProgress(String u, Long t) {
        return new NewJob(type, key, payload, u, t, supersede, node);
    }

    /** This job, cancelling the unfinished jobs of its type and key when it is submitted. */
    public NewJob superseding() {
        return new NewJob(type, key, payload, unit, total, true, node);
    }

    /** This job, to be run by node {@code n} only. */
    public NewJob onNode(String n) {
        return new NewJob(type, key, payload, unit, total, supersede, n);
    }
}
