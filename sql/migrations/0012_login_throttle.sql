-- 0012_login_throttle.sql - the login ladders that are not a person's own (unknown login names,
-- keyed by a hash of the name, and client addresses), the devices and addresses a person has
-- logged in from, and the per-window count of refused attempts that keeps the audit trail from
-- growing with every refusal.

CREATE TABLE login_throttle (
    key             TEXT PRIMARY KEY,      -- 'n:' || BLAKE2b(login) or 'a:' || address
    failures        INTEGER NOT NULL,
    locked_until    BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX login_throttle_updated ON login_throttle (updated_at);

CREATE TABLE login_known (
    person_id       BIGINT NOT NULL REFERENCES people (id),
    kind            TEXT NOT NULL CHECK (kind IN ('device', 'address')),
    value           TEXT NOT NULL,         -- BLAKE2b of the device token, or the address
    last_at         BIGINT NOT NULL,
    PRIMARY KEY (person_id, kind, value)
);

CREATE TABLE login_refusals (
    key             TEXT PRIMARY KEY,      -- 'p:' || person id, 'n:' || hash, 'a:' || address
    window_start    BIGINT NOT NULL,
    refused         INTEGER NOT NULL,
    prev_refused    INTEGER NOT NULL
);
CREATE INDEX login_refusals_window ON login_refusals (window_start);

-- A person's count restarts once it has been left alone for a whole lock period (and any lock
-- has ended), exactly as a login_throttle row does.
ALTER TABLE people ADD COLUMN last_failed_at BIGINT NOT NULL DEFAULT 0;
