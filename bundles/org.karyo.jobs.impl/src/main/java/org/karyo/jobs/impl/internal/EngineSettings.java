package org.karyo.jobs.impl.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How one node runs jobs.
 *
 * @param node this node's id, unique among the nodes sharing the database
 * @param workerThreads how many jobs this node runs at once
 * @param lease how long a running job stays this node's without a heartbeat
 * @param heartbeat how often the leases of this node's running jobs are renewed (at most a third of the lease)
 * @param poll how often the queue is read when no notification arrived, and expired leases are looked for
 * @param progressInterval how often, at most, a job's progress is written
 * @param shutdownGrace how long a stopping node waits for its running jobs to notice and end
 */
record EngineSettings(
        String node,
        int workerThreads,
        Duration lease,
        Duration heartbeat,
        Duration poll,
        Duration progressInterval,
        Duration shutdownGrace) {

    /** Node ids: letters, digits, {@code . _ -}, at most 64. */
    static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    EngineSettings {
        Objects.requireNonNull(node, "node");
        if (!NODE.matcher(node).matches()) {
            throw new IllegalArgumentException(
                    "node.id must be 1 to 64 letters, digits, '.', '_' or '-' (starting with a letter or digit), not '"
                            + node + "'");
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("worker.threads must be at least 1, not " + workerThreads);
        }
        if (heartbeat.isZero()
                || heartbeat.isNegative()
                || heartbeat.multipliedBy(3).compareTo(lease) > 0) {
            throw new IllegalArgumentException("heartbeat must be positive and at most a third of the lease (lease "
                    + lease.toMillis() + " ms, heartbeat " + heartbeat.toMillis() + " ms)");
        }
        if (poll.isZero() || poll.isNegative()) {
            throw new IllegalArgumentException("poll must be positive");
        }
    }
}
