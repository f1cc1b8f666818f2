-- The audit trail. Applied by the platform to schema karyo_audit, as the role the platform connects with.
--
-- audit_log is append-only and hash-chained: each row's hash covers its content and the previous row's hash
-- (computed by the application, see ChainHash). chain_head is the one-row chain lock: a writer locks it
-- (SELECT ... FOR UPDATE) inside its own transaction, so concurrent writers append one after the other and a write
-- that rolls back leaves neither a row nor a gap.

CREATE TABLE audit_log (
    seq             bigint       PRIMARY KEY,
    at              timestamptz  NOT NULL,
    actor_id        varchar(255) NOT NULL,
    impersonator_id varchar(255),
    service_account boolean      NOT NULL,
    action          varchar(128) NOT NULL,
    object_type     varchar(64),
    object_id       varchar(255),
    outcome         varchar(16)  NOT NULL,
    details         jsonb        NOT NULL DEFAULT '{}',
    request_id      varchar(128),
    client_address  varchar(128),
    prev_hash       bytea        NOT NULL,
    hash            bytea        NOT NULL,
    CONSTRAINT audit_log_seq_positive CHECK (seq >= 1),
    CONSTRAINT audit_log_outcome_known CHECK (outcome IN ('SUCCESS', 'FAILURE', 'DENIED')),
    CONSTRAINT audit_log_details_object CHECK (jsonb_typeof(details) = 'object'),
    CONSTRAINT audit_log_prev_hash_sha256 CHECK (octet_length(prev_hash) = 32),
    CONSTRAINT audit_log_hash_sha256 CHECK (octet_length(hash) = 32)
);

COMMENT ON TABLE audit_log IS 'Append-only, hash-chained audit trail; UPDATE, DELETE and TRUNCATE are refused';

CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, seq);
CREATE INDEX audit_log_action_idx ON audit_log (action varchar_pattern_ops, seq);
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, seq);
CREATE INDEX audit_log_at_idx ON audit_log (at);

CREATE TABLE chain_head (
    id   boolean PRIMARY KEY DEFAULT true,
    seq  bigint  NOT NULL,
    hash bytea   NOT NULL,
    CONSTRAINT chain_head_one_row CHECK (id),
    CONSTRAINT chain_head_seq CHECK (seq >= 0),
    CONSTRAINT chain_head_hash_sha256 CHECK (octet_length(hash) = 32)
);

COMMENT ON TABLE chain_head IS 'The last appended (seq, hash); its row lock is the audit chain lock';

INSERT INTO chain_head (id, seq, hash) VALUES (true, 0, decode(repeat('00', 32), 'hex'));

-- The trigger protects the table in every setup (a superuser, or the table's owner, can still disable it).
CREATE FUNCTION audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'karyo audit trail is append-only: % on %.% refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Privileges. What "the application role" is depends on how the platform connects:
--  * as a superuser (the embedded PostgreSQL's default): privileges do not apply to it; only the trigger protects;
--  * as an ordinary role that may create roles (CREATEROLE): audit_log and its trigger function are handed to the
--    NOLOGIN role karyo_audit_owner, and the connecting role keeps only SELECT and INSERT on audit_log; not being the
--    owner, it can neither UPDATE, DELETE, TRUNCATE, ALTER, disable the trigger nor replace its function. The schema
--    goes to karyo_audit_owner too (the connecting role keeps USAGE and CREATE on it, and owns chain_head and the
--    migration history), since a schema's owner may DROP any table in it;
--  * as an ordinary role without that power: it stays the owner and revokes UPDATE, DELETE and TRUNCATE from itself
--    (an owner can grant them back; a DBA can instead hand audit_log and the function to karyo_audit_owner).
DO $$
DECLARE
    me text := current_user;
    schema_name text := current_schema();
    super boolean;
BEGIN
    SELECT rolsuper INTO super FROM pg_roles WHERE rolname = me;
    IF super THEN
        RAISE NOTICE 'karyo_audit: connected as superuser %, audit_log is protected by its trigger only', me;
        RETURN;
    END IF;
    BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'karyo_audit_owner') THEN
            CREATE ROLE karyo_audit_owner NOLOGIN;
        END IF;
        -- ALTER ... OWNER TO needs membership of the new owner (given up again below), and the new owner needs
        -- CREATE on the schema
        EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO karyo_audit_owner', schema_name);
        EXECUTE format('GRANT karyo_audit_owner TO %I', me);
        ALTER TABLE audit_log OWNER TO karyo_audit_owner;
        ALTER FUNCTION audit_log_append_only() OWNER TO karyo_audit_owner;
        EXECUTE format('GRANT SELECT, INSERT ON audit_log TO %I', me);
        BEGIN
            -- needs CREATE on the database, which the connecting role had to create the schema
            EXECUTE format('ALTER SCHEMA %I OWNER TO karyo_audit_owner', schema_name);
            EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO %I', schema_name, me);
            RAISE NOTICE 'karyo_audit: schema % is owned by karyo_audit_owner', schema_name;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE WARNING 'karyo_audit: schema % stays owned by % (%), which could drop audit_log', schema_name, me,
                SQLERRM;
        END;
        EXECUTE format('REVOKE karyo_audit_owner FROM %I', me);
        RAISE NOTICE 'karyo_audit: audit_log is owned by karyo_audit_owner; % may only SELECT and INSERT', me;
    EXCEPTION WHEN insufficient_privilege THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER;
        RAISE WARNING 'karyo_audit: % cannot hand audit_log to karyo_audit_owner (%); it revoked UPDATE, DELETE, TRUNCATE from itself', me, SQLERRM;
    END;
END;
$$;
