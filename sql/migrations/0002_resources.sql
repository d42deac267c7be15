-- 0002_resources: service resources (GB/T 34077.5 §6): provider pools with capacity,
-- allocations to user agencies with their operations, conformity tests by assigned evaluators,
-- and signed catalogue editions (shared with the product catalogue).

CREATE TABLE resource_pools (
    id              BIGINT PRIMARY KEY,
    provider_id     BIGINT NOT NULL REFERENCES institutions (id),
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('compute', 'storage', 'network', 'information',
                                                  'application_support', 'consulting')),
    unit            TEXT NOT NULL,
    specification   TEXT NOT NULL,
    capacity        BIGINT NOT NULL CHECK (capacity > 0),
    -- Sum of the live allocations, kept by one conditional UPDATE so that it can never pass
    -- capacity, whoever races for the last units.
    allocated       BIGINT NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= capacity),
    region          TEXT NOT NULL,
    security_level  INTEGER NOT NULL CHECK (security_level BETWEEN 1 AND 4),
    status          TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'retired')),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    version         INTEGER NOT NULL,
    UNIQUE (provider_id, name)
);
CREATE INDEX resource_pools_provider ON resource_pools (provider_id, id);

CREATE TABLE allocations (
    id              BIGINT PRIMARY KEY,
    pool_id         BIGINT NOT NULL REFERENCES resource_pools (id),
    user_id         BIGINT NOT NULL REFERENCES institutions (id),
    application     TEXT NOT NULL,
    quantity        BIGINT NOT NULL CHECK (quantity >= 0),
    status          TEXT NOT NULL CHECK (status IN ('active', 'released')),
    use_by          TEXT NOT NULL DEFAULT '',
    first_used_on   TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    version         INTEGER NOT NULL
);
CREATE INDEX allocations_pool ON allocations (pool_id, id);
CREATE INDEX allocations_user ON allocations (user_id, id);

-- configure / adjust / expand / release (配置、调整、扩容、释放), one row per operation.
CREATE TABLE allocation_events (
    id              BIGINT PRIMARY KEY,
    allocation_id   BIGINT NOT NULL REFERENCES allocations (id),
    op              TEXT NOT NULL CHECK (op IN ('configure', 'adjust', 'expand', 'release')),
    quantity_before BIGINT NOT NULL,
    quantity_after  BIGINT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    at              BIGINT NOT NULL,
    by_person       BIGINT
);
CREATE INDEX allocation_events_allocation ON allocation_events (allocation_id, id);

CREATE TABLE conformity_tests (
    id              BIGINT PRIMARY KEY,
    pool_id         BIGINT NOT NULL REFERENCES resource_pools (id),
    evaluator_id    BIGINT NOT NULL REFERENCES institutions (id),
    assigned_by     BIGINT,
    status          TEXT NOT NULL CHECK (status IN ('assigned', 'passed', 'failed')),
    findings        TEXT NOT NULL DEFAULT '',
    report_ref      TEXT NOT NULL DEFAULT '',
    tested_on       TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    version         INTEGER NOT NULL
);
CREATE INDEX conformity_tests_pool ON conformity_tests (pool_id, id);
CREATE INDEX conformity_tests_evaluator ON conformity_tests (evaluator_id, id);

-- Ed25519 keys that sign catalogue editions. NEEDSWORK: the secret key belongs in an HSM or a
-- file readable only by the service; here it is protected by access to the store.
CREATE TABLE signing_keys (
    id              TEXT PRIMARY KEY,
    public_key      TEXT NOT NULL,
    secret_key      TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);

-- Immutable, numbered, dated, signed editions of a catalogue. body is the exact signed text.
CREATE TABLE catalogue_editions (
    id              BIGINT PRIMARY KEY,
    catalogue       TEXT NOT NULL CHECK (catalogue IN ('resources', 'products')),
    publisher_id    BIGINT NOT NULL REFERENCES institutions (id),
    number          INTEGER NOT NULL,
    published_at    BIGINT NOT NULL,
    published_by    BIGINT,
    n_items         INTEGER NOT NULL,
    body            TEXT NOT NULL,
    signature       TEXT NOT NULL,
    key_id          TEXT NOT NULL REFERENCES signing_keys (id),
    UNIQUE (catalogue, publisher_id, number)
);
