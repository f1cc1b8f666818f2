create table note (
    id bigserial primary key,
    body varchar(200) not null unique,
    version bigint not null default 0
);
create table audit (
    id bigserial primary key,
    what varchar(200) not null
);
