-- The FHIR R5 store. Applied by the platform to schema karyo_fhir.
--
-- Every table of the patient compartment has the patient key (the res_pk of the compartment's Patient; 0 for a
-- resource in no patient's compartment) first in its primary key and in every unique index, so that a move to a
-- distributed PostgreSQL (Citus) distributes them by patient_key and co-locates a patient's rows. Global lookups by
-- type and id go through resource_id, which Citus would keep as a reference table.

CREATE SEQUENCE res_pk_seq;

-- The current version of every resource, with its search index in the same row: keys (exact-match keys, GIN) and
-- rng (date, number and quantity ranges as (param id, low, high) triples). docs/design/fhir.md explains both.
CREATE TABLE resource (
    patient_key  bigint      NOT NULL,
    res_pk       bigint      NOT NULL,
    rtype        text        NOT NULL,
    id           text        NOT NULL,
    version      integer     NOT NULL,
    last_updated timestamptz NOT NULL,
    deleted      boolean     NOT NULL DEFAULT false,
    -- every patient key when the resource is in several patients' compartments (visible only if all are)
    patients     bigint[],
    body         text        NOT NULL,
    keys         text[]      NOT NULL,
    rng          float8[]    NOT NULL,
    CONSTRAINT resource_pk PRIMARY KEY (patient_key, res_pk),
    CONSTRAINT resource_version_positive CHECK (version >= 1)
);
CREATE INDEX resource_keys ON resource USING gin (keys) WITH (fastupdate = off);
CREATE INDEX resource_type_pk ON resource (rtype, res_pk);
CREATE INDEX resource_res_pk ON resource (res_pk);
CREATE INDEX resource_patient_type ON resource (patient_key, rtype, res_pk);

-- The reference table of every resource's place: type and id to its keys.
CREATE TABLE resource_id (
    rtype       text   NOT NULL,
    id          text   NOT NULL,
    patient_key bigint NOT NULL,
    res_pk      bigint NOT NULL,
    CONSTRAINT resource_id_pk PRIMARY KEY (rtype, id)
);
CREATE UNIQUE INDEX resource_id_res_pk ON resource_id (res_pk);

-- Earlier versions (the current one is in resource). A delete is a version too (deleted, body of the last state).
CREATE TABLE resource_history (
    patient_key  bigint      NOT NULL,
    res_pk       bigint      NOT NULL,
    version      integer     NOT NULL,
    last_updated timestamptz NOT NULL,
    deleted      boolean     NOT NULL,
    body         text        NOT NULL,
    CONSTRAINT resource_history_pk PRIMARY KEY (patient_key, res_pk, version)
);
CREATE INDEX resource_history_updated ON resource_history (last_updated);
CREATE INDEX resource_history_res ON resource_history (res_pk, version);

-- Group members, one row each, so that adding or removing one costs O(1) whatever the Group's size.
CREATE TABLE group_member (
    group_pk    bigint  NOT NULL,
    member_ref  text    NOT NULL,
    inactive    boolean NOT NULL DEFAULT false,
    entity_json text,
    CONSTRAINT group_member_pk PRIMARY KEY (group_pk, member_ref)
);
CREATE INDEX group_member_ref ON group_member (member_ref);

-- The patients' perimeters, a maintained relation: the organisations a patient belongs to, from
-- Patient.managingOrganization (source 'managing') and the serviceProvider of its encounters ('encounter:<res_pk>'),
-- mapped to perimeter nodes through organization_perimeter at query time (so the order in which patients and
-- organisations arrive does not matter); and explicit links of modules to perimeter nodes (source: the module).
CREATE TABLE patient_organization (
    patient_key     bigint NOT NULL,
    organization_id text   NOT NULL,
    source          text   NOT NULL,
    CONSTRAINT patient_organization_pk PRIMARY KEY (patient_key, source, organization_id)
);
CREATE INDEX patient_organization_org ON patient_organization (organization_id, patient_key);

CREATE TABLE patient_perimeter (
    patient_key  bigint NOT NULL,
    perimeter_id bigint NOT NULL,
    source       text   NOT NULL,
    CONSTRAINT patient_perimeter_pk PRIMARY KEY (patient_key, perimeter_id, source)
);
CREATE INDEX patient_perimeter_perimeter ON patient_perimeter (perimeter_id, patient_key);

-- Patients tagged NOLIST (v3-ActCode): they do not exist for callers without accesses.search_opposed_patients.
CREATE TABLE opposed_patient (
    patient_key bigint NOT NULL,
    CONSTRAINT opposed_patient_pk PRIMARY KEY (patient_key)
);

-- Each Organization's perimeter node: linked to an existing node, or attached by the module under its parent's node.
CREATE TABLE organization_perimeter (
    organization_id text    NOT NULL,
    perimeter_id    bigint  NOT NULL,
    attached        boolean NOT NULL,
    CONSTRAINT organization_perimeter_pk PRIMARY KEY (organization_id)
);
CREATE INDEX organization_perimeter_perimeter ON organization_perimeter (perimeter_id);

-- Every (patient, perimeter node) pair, whichever way the patient belongs to the node.
CREATE VIEW patient_scope AS
    SELECT po.patient_key, op.perimeter_id
    FROM patient_organization po JOIN organization_perimeter op ON op.organization_id = po.organization_id
    UNION ALL
    SELECT pp.patient_key, pp.perimeter_id FROM patient_perimeter pp;

-- Search parameters registered at runtime (SearchParameter resources), evaluated by the store's extractor.
CREATE TABLE search_parameter (
    url        text        NOT NULL,
    code       text        NOT NULL,
    base       text[]      NOT NULL,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT search_parameter_pk PRIMARY KEY (url)
);

-- The key of the pseudonyms pseudonymised readers see (KARYO_PSEUDONYM_KEY overrides it).
CREATE TABLE pseudonym_key (
    id  integer NOT NULL,
    key bytea   NOT NULL,
    CONSTRAINT pseudonym_key_pk PRIMARY KEY (id),
    CONSTRAINT pseudonym_key_one CHECK (id = 1)
);

-- Whether one of the (param id, low, high) triples of rng under param id pid matches the search range [lo, hi) with
-- the FHIR prefix op (1 eq, 2 ne, 3 gt, 4 lt, 5 ge, 6 le, 7 sa, 8 eb, 9 ap; for ap, lo and hi are already widened).
CREATE FUNCTION rng_match(r float8[], pid float8, op integer, lo float8, hi float8) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT 1 FROM generate_series(1, coalesce(array_length(r, 1), 0) - 2, 3) AS i
        WHERE r[i] = pid AND CASE op
            WHEN 1 THEN r[i + 1] >= lo AND r[i + 2] <= hi
            WHEN 2 THEN NOT (r[i + 1] >= lo AND r[i + 2] <= hi)
            WHEN 3 THEN r[i + 2] > hi
            WHEN 4 THEN r[i + 1] < lo
            WHEN 5 THEN r[i + 2] > hi OR (r[i + 1] >= lo AND r[i + 2] <= hi)
            WHEN 6 THEN r[i + 1] < lo OR (r[i + 1] >= lo AND r[i + 2] <= hi)
            WHEN 7 THEN r[i + 1] >= hi
            WHEN 8 THEN r[i + 2] <= lo
            WHEN 9 THEN r[i + 1] < hi AND r[i + 2] > lo
            ELSE false END)
$$;

-- The smallest low (ascending sorts) or largest high (descending sorts) of a parameter's ranges, or NULL.
CREATE FUNCTION rng_low(r float8[], pid float8) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT min(r[i + 1]) FROM generate_series(1, coalesce(array_length(r, 1), 0) - 2, 3) AS i WHERE r[i] = pid
$$;
CREATE FUNCTION rng_high(r float8[], pid float8) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT max(r[i + 2]) FROM generate_series(1, coalesce(array_length(r, 1), 0) - 2, 3) AS i WHERE r[i] = pid
$$;

-- The first key of keys that starts with prefix, without the prefix (string and token sorts), or NULL.
CREATE FUNCTION key_value(k text[], prefix text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT min(substr(x, length(prefix) + 1)) FROM unnest(k) AS x WHERE left(x, length(prefix)) = prefix
$$;
