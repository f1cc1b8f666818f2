-- TOTP second factor (RFC 6238) and service-account API tokens.

-- One factor per user. The secret is sealed with the master key (AES-256-GCM, context 'totp:<user id>'); it is not
-- effective until confirmed_at is set. last_used_step is the last accepted time step: no code at or before it is
-- accepted again.
create table mfa_factors (
    user_id        uuid        primary key references users (id) on delete cascade,
    secret         bytea       not null,
    algorithm      text        not null default 'SHA1' check (algorithm in ('SHA1', 'SHA256', 'SHA512')),
    digits         smallint    not null default 6 check (digits between 6 and 8),
    period         smallint    not null default 30 check (period > 0),
    confirmed_at   timestamptz,
    last_used_step bigint,
    created_at     timestamptz not null
);

-- Single-use recovery codes, stored as SHA-256 of the normalised code (80 random bits each).
create table mfa_recovery_codes (
    user_id   uuid        not null references mfa_factors (user_id) on delete cascade,
    code_hash bytea       not null check (octet_length(code_hash) = 32),
    used_at   timestamptz,
    primary key (user_id, code_hash)
);

-- API tokens of service accounts. Only the SHA-256 of the whole secret is stored; prefix is its first characters
-- (after 'kyt_'), to recognise a token in lists.
create table api_tokens (
    id           uuid        primary key,
    user_id      uuid        not null references users (id),
    name         text        not null check (length(name) between 1 and 200),
    prefix       text        not null check (length(prefix) = 8),
    secret_hash  bytea       not null check (octet_length(secret_hash) = 32),
    rights       text[]      not null check (cardinality(rights) > 0),
    created_at   timestamptz not null,
    created_by   text        not null,
    expires_at   timestamptz not null check (expires_at > created_at),
    revoked_at   timestamptz,
    last_used_at timestamptz
);

create unique index api_tokens_secret_hash on api_tokens (secret_hash);
create index api_tokens_user on api_tokens (user_id, created_at desc);
