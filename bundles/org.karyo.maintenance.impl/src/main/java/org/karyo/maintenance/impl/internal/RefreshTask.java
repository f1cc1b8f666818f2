package org.karyo.maintenance.impl.internal;

import org.karyo.jobs.api.ScheduledTask;
import org.karyo.jobs.api.TaskContext;
import org.karyo.jobs.api.TaskScope;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The per-node task {@value #NAME}: re-reads this node's {@link MaintenanceGate} snapshot from the database every 15
 * seconds (unless {@code task.maintenance.refresh.schedule} in {@code org.karyo.scheduler} says otherwise), so that
 * phases written on another node, or straight into the database, apply here too. Writes on this node apply at once,
 * without it. It is per node because each node's gate answers from its own memory.
 */
@Component(service = ScheduledTask.class)
public final class RefreshTask implements ScheduledTask {

    static final String NAME = "maintenance.refresh";

    private final MaintenanceGate gate;

    @Activate
    public RefreshTask(@Reference MaintenanceGate gate) {
        this.gate = gate;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Re-reads the maintenance phases of this node's gate from the database";
    }

    @Override
    public String defaultSchedule() {
        return "0/15 * * * * ?";
    }

    @Override
    public TaskScope scope() {
        return TaskScope.NODE;
    }

    @Override
    public void run(TaskContext context) {
        if (!gate.refresh()) {
            // the gate logged why and keeps its last snapshot in force; the run is recorded as failed
            throw new IllegalStateException(
                    "the maintenance phases could not be read; the last known ones stay in force");
        }
        context.summary(gate.phases().size() + " phase(s) not ended");
    }
}
