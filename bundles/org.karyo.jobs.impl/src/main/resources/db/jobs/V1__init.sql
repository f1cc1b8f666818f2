-- The platform's job facility and scheduler (schema karyo_jobs, created by the migrator).

-- Nodes: every node that runs the engine, with its last heartbeat. A task run on a node whose heartbeat is older
-- than the lease was interrupted.
CREATE TABLE node (
    id            text PRIMARY KEY,
    started_at    timestamptz NOT NULL,
    heartbeat_at  timestamptz NOT NULL,
    stopped_at    timestamptz
);

-- Jobs. A node claims QUEUED jobs with FOR UPDATE SKIP LOCKED and holds each RUNNING one under a lease (node,
-- lease_until) that its heartbeat renews; a job whose lease expired is requeued (resumable, attempts left) or failed.
CREATE TABLE job (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type             text NOT NULL,
    module           text NOT NULL,
    job_key          text,
    owner_id         text NOT NULL,
    impersonator_id  text,
    service_account  boolean NOT NULL DEFAULT false,
    state            text NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    payload          jsonb NOT NULL DEFAULT '{}',
    checkpoint       jsonb NOT NULL DEFAULT '{}',
    result           jsonb NOT NULL DEFAULT '{}',
    progress_done    bigint NOT NULL DEFAULT 0 CHECK (progress_done >= 0),
    progress_total   bigint CHECK (progress_total >= 0),
    progress_unit    text NOT NULL,
    resumable        boolean NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL CHECK (max_attempts >= 1),
    target_node      text,
    node             text,
    lease_until      timestamptz,
    cancel_requested boolean NOT NULL DEFAULT false,
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'RUNNING') = (lease_until IS NOT NULL))
);

CREATE INDEX job_queued ON job (id) WHERE state = 'QUEUED';
CREATE INDEX job_running ON job (node, type) WHERE state = 'RUNNING';
CREATE INDEX job_by_key ON job (type, job_key, id) WHERE job_key IS NOT NULL;
CREATE INDEX job_by_owner ON job (owner_id, id);
CREATE INDEX job_finished ON job (finished_at) WHERE finished_at IS NOT NULL;

-- Task runs: one row per firing of a cluster task (unique per task and slot, so a firing runs once across nodes and
-- never again after a restart), and one per manual run (its own slot, keyed by its job).
CREATE TABLE task_run (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task         text NOT NULL,
    slot         timestamptz NOT NULL,
    trigger      text NOT NULL CHECK (trigger IN ('SCHEDULE', 'CATCH_UP', 'MANUAL')),
    node         text NOT NULL,
    outcome      text NOT NULL CHECK (outcome IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'INTERRUPTED', 'SKIPPED')),
    error        text,
    summary      text,
    job_id       bigint,
    started_by   text NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    CHECK ((trigger = 'MANUAL') = (job_id IS NOT NULL))
);

CREATE UNIQUE INDEX task_run_firing ON task_run (task, slot) WHERE trigger <> 'MANUAL';
CREATE INDEX task_run_by_task ON task_run (task, id);
CREATE INDEX task_run_running ON task_run (node) WHERE outcome = 'RUNNING';
CREATE INDEX task_run_finished ON task_run (finished_at) WHERE finished_at IS NOT NULL;

-- The last run of each per-node task on each node (per-node tasks keep no history row per run).
CREATE TABLE task_node (
    task         text NOT NULL,
    node         text NOT NULL,
    slot         timestamptz NOT NULL,
    trigger      text NOT NULL CHECK (trigger IN ('SCHEDULE', 'CATCH_UP', 'MANUAL')),
    outcome      text NOT NULL CHECK (outcome IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'INTERRUPTED', 'SKIPPED')),
    error        text,
    summary      text,
    started_by   text NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    PRIMARY KEY (task, node)
);
