-- One row per (access, threshold) alert that was sent: the job never sends it again, even after a restart.
-- access_id is an opaque id of karyo_accesses.accesses (no foreign key across modules). access_end is the access's end
-- when the alert was sent: an access whose end is moved later (a renewal) is alerted again for its new end.
create table sent_alerts (
    access_id      bigint      not null,
    threshold_days int         not null check (threshold_days > 0),
    access_end     timestamptz not null,
    sent_at        timestamptz not null,
    primary key (access_id, threshold_days)
);

-- pruning of alerts for accesses that ended long ago
create index sent_alerts_access_end on sent_alerts (access_end);
