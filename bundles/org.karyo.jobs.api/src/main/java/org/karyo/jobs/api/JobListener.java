package org.karyo.jobs.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears of job changes on every node (a Server-Sent Events stream, a module's own status): a whiteboard service. Each
 * node tells its listeners of the changes made on it at once and of those made on other nodes within moments
 * (PostgreSQL notifications), on one thread of its own, in order per job. Delivery is best effort: a listener that
 * must not miss an end re-reads the job with {@link JobService#find(long)}. A listener must return quickly and never
 * throws at the facility (what it throws is logged and dropped).
 */
@ConsumerType
public interface JobListener {

    /** One change. */
    void jobChanged(JobEvent event);
}
