-- 0016: the hash algorithm of each audit record (a deployment may switch between the crypto
-- suites ed25519-blake2b and sm2-sm3; older records keep verifying with the hash they were
-- chained with), and the signed checkpoints of the chain head (see docs/audit.md).
-- Portable subset: the same text runs on SQLite and PostgreSQL.

ALTER TABLE audit_log ADD COLUMN hash_alg TEXT NOT NULL DEFAULT 'blake2b'
    CHECK (hash_alg IN ('blake2b', 'sm3'));

-- One row per checkpoint, keyed by the head it signs. Publishing a checkpoint appends an audit
-- record after the signed head, so two checkpoints never sign the same seq. The file named by
-- audit_checkpoint_file holds the same rows outside the store.
CREATE TABLE audit_checkpoints (
    seq             BIGINT PRIMARY KEY,
    at              BIGINT NOT NULL,
    hash            TEXT NOT NULL,
    hash_alg        TEXT NOT NULL CHECK (hash_alg IN ('blake2b', 'sm3')),
    reason          TEXT NOT NULL,
    key_id          TEXT NOT NULL,
    algorithm       TEXT NOT NULL,
    signature       TEXT NOT NULL
);
CREATE INDEX audit_checkpoints_at ON audit_checkpoints (at);
