/**
 * The platform's job facility and scheduler, shared by every module.
 *
 * <p><b>Jobs</b> are long pieces of work (a validation, an import, a count, an export) stored in PostgreSQL, claimed
 * once across nodes, cancellable, with progress, resumed or failed visibly after a node dies. A module submits jobs
 * through {@link org.karyo.jobs.api.JobService} and runs them in a {@link org.karyo.jobs.api.JobHandler} it registers
 * as a whiteboard service. {@link org.karyo.jobs.api.JobListener}s hear of every state and progress change.
 *
 * <p><b>Tasks</b> are periodic work ({@link org.karyo.jobs.api.ScheduledTask} whiteboard services) run on a Quartz
 * cron schedule from configuration, once per firing across all nodes (or on every node for node-local work), never
 * twice for one firing after a restart. {@link org.karyo.jobs.api.TaskService} lists them, runs one now and reads
 * their history.
 */
@Export
@Version("1.0.0")
package org.karyo.jobs.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
