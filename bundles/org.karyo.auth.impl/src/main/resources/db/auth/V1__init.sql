-- Identity module (karyo-auth): users, signing keys, refresh tokens, revoked sessions, login back-off.
-- The migrator sets search_path to karyo_auth.

create table users (
    id            uuid primary key,
    username      text not null,
    firstname     text not null default '',
    lastname      text not null default '',
    email         text,
    kind          text not null check (kind in ('PERSON', 'SERVICE')),
    active        boolean not null default true,
    source        text not null default 'local',
    password_hash text,
    created_at    timestamptz not null,
    created_by    text,
    updated_at    timestamptz not null,
    updated_by    text,
    last_login    timestamptz,
    version       bigint not null default 0,
    constraint users_username_key unique (username),
    constraint users_service_no_password check (kind = 'PERSON' or password_hash is null)
);
create unique index users_email_key on users (lower(email)) where email is not null;
create index users_created_at_idx on users (created_at);

-- RS256 signing keys; the private key is sealed with the master key (AES-256-GCM, context 'signing-key:<kid>').
create table signing_keys (
    kid          text primary key,
    alg          text not null,
    public_jwk   text not null,
    private_key  bytea not null,
    created_at   timestamptz not null,
    activated_at timestamptz,
    retired_at   timestamptz
);

-- Opaque refresh tokens (sha256 only); a family is a session, its id is the access tokens' sid.
create table refresh_tokens (
    id         uuid primary key,
    family_id  uuid not null,
    user_id    uuid not null references users (id),
    token_hash bytea not null,
    client_id  text not null,
    scope      text not null,
    issued_at  timestamptz not null,
    expires_at timestamptz not null,
    used_at    timestamptz,
    revoked_at timestamptz,
    constraint refresh_tokens_hash_key unique (token_hash)
);
create index refresh_tokens_family_idx on refresh_tokens (family_id);
create index refresh_tokens_user_idx on refresh_tokens (user_id);
create index refresh_tokens_expires_idx on refresh_tokens (expires_at);

-- Sessions whose access tokens must stop working before they expire (logout, family revocation, disabled user).
-- Kept until every access token of the session has expired.
create table revoked_sessions (
    sid        uuid primary key,
    user_id    uuid not null,
    reason     text not null,
    revoked_at timestamptz not null,
    keep_until timestamptz not null
);

-- Back-off after failed attempts; keys are user:<id>, ip:<address>, mfa:<id>.
create table login_failures (
    key           text primary key,
    failures      int not null,
    last_failure  timestamptz not null,
    blocked_until timestamptz
);
