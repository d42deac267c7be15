-- 0008_usage (sqlite): metered usage records (GB/T 34077.5 §7.1 quantifiable, measurable,
-- priceable). A record's own id is its idempotency key: re-sending it changes nothing. The key
-- decides the ingest speed (records whose ids arrive in order append to the B-tree; random ids
-- scatter), so producers are asked for time-ordered ids (ULID, UUIDv7, or source:sequence).
-- SQLite: WITHOUT ROWID, so the record id is the only B-tree (no second index to keep).
-- Quantities are exact decimals with scale 6, stored as integer millionths; times are Unix ms.
-- Foreign keys are checked by the ingest code against its caches, not by the store, which
-- would cost a lookup per row at millions of rows per batch.
CREATE TABLE usage_records (
    id              TEXT NOT NULL PRIMARY KEY,
    provider_id     BIGINT NOT NULL,
    user_id         BIGINT NOT NULL,
    allocation_id   BIGINT NOT NULL,
    metric_id       BIGINT NOT NULL,
    quantity        BIGINT NOT NULL CHECK (quantity >= 0),
    period_start    BIGINT NOT NULL,
    period_end      BIGINT NOT NULL CHECK (period_end > period_start),
    source          TEXT NOT NULL,
    batch_id        BIGINT NOT NULL
) WITHOUT ROWID;

-- The newest accepted period end of each series (allocation, metric): a record of a series
-- must start at or after it, so that no two records of a series overlap.
CREATE TABLE usage_series (
    allocation_id   BIGINT NOT NULL,
    metric_id       BIGINT NOT NULL,
    last_end        BIGINT NOT NULL,
    PRIMARY KEY (allocation_id, metric_id)
);

-- One row per ingest (an API request or an import), committed chunk by chunk.
CREATE TABLE usage_batches (
    id              BIGINT PRIMARY KEY,
    origin          TEXT NOT NULL CHECK (origin IN ('api', 'import')),
    provider_id     BIGINT NOT NULL DEFAULT 0,
    submitted_by    BIGINT,
    started_at      BIGINT NOT NULL,
    finished_at     BIGINT NOT NULL DEFAULT 0,
    accepted        BIGINT NOT NULL DEFAULT 0,
    duplicated      BIGINT NOT NULL DEFAULT 0,
    rejected        BIGINT NOT NULL DEFAULT 0
);

-- Every record of a batch that was not accepted, with its line and the reason: together with
-- the counts this says exactly what happened to each record.
CREATE TABLE usage_outcomes (
    batch_id        BIGINT NOT NULL,
    line            BIGINT NOT NULL,
    record_id       TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('duplicated', 'rejected')),
    rule            TEXT NOT NULL,
    field           TEXT NOT NULL,
    message         TEXT NOT NULL,
    PRIMARY KEY (batch_id, line)
);

-- Counts committed chunks of all ingests: a batch that finds it where its own last commit left it
-- knows its cached series marks are still true.
CREATE TABLE usage_epoch (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    n               BIGINT NOT NULL
);
INSERT INTO usage_epoch (id, n) VALUES (1, 0);
