-- 0001_foundation: institutions, their jurisdiction tree, qualifications, interest relations,
-- posts, people, certificates, sessions and the hash-chained audit log.
-- Portable subset only: the same text runs on SQLite and PostgreSQL. IDs and timestamps
-- (Unix milliseconds, UTC) are supplied by egov, never by database defaults.

CREATE TABLE institutions (
    id              BIGINT PRIMARY KEY,
    uscc            TEXT NOT NULL UNIQUE,
    uscc_exception  TEXT,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('management', 'provider', 'evaluator', 'user')),
    level           TEXT NOT NULL CHECK (level IN ('central', 'provincial', 'municipal', 'county')),
    parent_id       BIGINT REFERENCES institutions (id),
    region          TEXT NOT NULL,
    contact_name    TEXT NOT NULL DEFAULT '',
    contact_phone   TEXT NOT NULL DEFAULT '',
    contact_email   TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    timezone        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    version         INTEGER NOT NULL
);
CREATE INDEX institutions_parent ON institutions (parent_id);
CREATE INDEX institutions_kind ON institutions (kind, id);

-- Closure table of the jurisdiction tree: one row per (ancestor, descendant), self included.
CREATE TABLE institution_tree (
    ancestor_id     BIGINT NOT NULL REFERENCES institutions (id),
    descendant_id   BIGINT NOT NULL REFERENCES institutions (id),
    depth           INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, descendant_id)
);
CREATE INDEX institution_tree_descendant ON institution_tree (descendant_id);

CREATE TABLE qualifications (
    id              BIGINT PRIMARY KEY,
    institution_id  BIGINT NOT NULL REFERENCES institutions (id),
    kind            TEXT NOT NULL,
    grade           TEXT NOT NULL DEFAULT '',
    certificate_no  TEXT NOT NULL,
    issuer          TEXT NOT NULL,
    valid_from      TEXT NOT NULL,
    valid_to        TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    version         INTEGER NOT NULL,
    UNIQUE (kind, certificate_no)
);
CREATE INDEX qualifications_institution ON qualifications (institution_id);
CREATE INDEX qualifications_valid_to ON qualifications (valid_to);

CREATE TABLE interest_relations (
    id              BIGINT PRIMARY KEY,
    institution_id  BIGINT NOT NULL REFERENCES institutions (id),
    related_id      BIGINT NOT NULL REFERENCES institutions (id),
    kind            TEXT NOT NULL,
    since           TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    declared_by     BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    version         INTEGER NOT NULL,
    UNIQUE (institution_id, related_id, kind),
    CHECK (institution_id <> related_id)
);
CREATE INDEX interest_relations_related ON interest_relations (related_id);

CREATE TABLE posts (
    id                   BIGINT PRIMARY KEY,
    institution_id       BIGINT NOT NULL REFERENCES institutions (id),
    name                 TEXT NOT NULL,
    duties               TEXT NOT NULL,
    required_certificate TEXT NOT NULL DEFAULT '',
    grants               TEXT NOT NULL DEFAULT '',
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    version              INTEGER NOT NULL,
    UNIQUE (institution_id, name)
);

CREATE TABLE people (
    id              BIGINT PRIMARY KEY,
    institution_id  BIGINT NOT NULL REFERENCES institutions (id),
    login           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    team            TEXT NOT NULL CHECK (team IN ('administrative', 'technical')),
    email           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    is_admin        INTEGER NOT NULL CHECK (is_admin IN (0, 1)),
    enabled         INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    password_hash   TEXT NOT NULL,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    version         INTEGER NOT NULL
);
CREATE INDEX people_institution ON people (institution_id, id);

CREATE TABLE person_posts (
    person_id       BIGINT NOT NULL REFERENCES people (id),
    post_id         BIGINT NOT NULL REFERENCES posts (id),
    PRIMARY KEY (person_id, post_id)
);
CREATE INDEX person_posts_post ON person_posts (post_id);

CREATE TABLE certificates (
    id              BIGINT PRIMARY KEY,
    person_id       BIGINT NOT NULL REFERENCES people (id),
    kind            TEXT NOT NULL,
    number          TEXT NOT NULL,
    issuer          TEXT NOT NULL,
    valid_to        TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    version         INTEGER NOT NULL,
    UNIQUE (kind, number)
);
CREATE INDEX certificates_person ON certificates (person_id);
CREATE INDEX certificates_valid_to ON certificates (valid_to);

-- Sessions are found by the BLAKE2b hash of their token; the token itself is never stored.
CREATE TABLE sessions (
    token_hash      TEXT PRIMARY KEY,
    person_id       BIGINT NOT NULL REFERENCES people (id),
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    revoked         INTEGER NOT NULL DEFAULT 0,
    client_ip       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_person ON sessions (person_id);

-- Append-only. hash = BLAKE2b(prev_hash || canonical record); see src/domain/audit/audit.c.
CREATE TABLE audit_log (
    seq             BIGINT PRIMARY KEY,
    at              BIGINT NOT NULL,
    actor_id        BIGINT,
    actor_login     TEXT NOT NULL DEFAULT '',
    actor_institution_id BIGINT,
    scope_institution_id BIGINT,
    action          TEXT NOT NULL,
    object_type     TEXT NOT NULL,
    object_id       BIGINT,
    changes         TEXT NOT NULL,
    client_ip       TEXT NOT NULL DEFAULT '',
    request_id      TEXT NOT NULL DEFAULT '',
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, seq);
CREATE INDEX audit_log_scope ON audit_log (scope_institution_id, seq);
CREATE INDEX audit_log_at ON audit_log (at);

-- The head of the chain: one row, locked by every appender so the chain never forks.
CREATE TABLE audit_head (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    seq             BIGINT NOT NULL,
    hash            TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
