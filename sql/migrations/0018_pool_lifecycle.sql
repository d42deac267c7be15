-- 0018_pool_lifecycle: resource pools get a recorded lifecycle (T5-3.4 covers resources as well
-- as products). The states stay those of 0002 (active, suspended, retired); every change of
-- state from now on is kept with who, when and why, as for products, projects and orders.

CREATE TABLE pool_transitions (
    id              BIGINT PRIMARY KEY,
    pool_id         BIGINT NOT NULL REFERENCES resource_pools (id),
    from_state      TEXT NOT NULL,                    -- '' for the creation
    to_state        TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    at              BIGINT NOT NULL,
    by_person       BIGINT,
    by_institution  BIGINT
);
CREATE INDEX pool_transitions_pool ON pool_transitions (pool_id, id);

-- Pools that exist already start their history with the state they are in, dated at their last
-- change and attributed to their provider (no person is known). The pool's id is a free id of
-- this new table, and every id made later is larger.
INSERT INTO pool_transitions (id, pool_id, from_state, to_state, reason, at, by_person,
                              by_institution)
SELECT id, id, '', status, 'state when pool transitions began to be recorded (migration 0018)',
       updated_at, NULL, provider_id
FROM resource_pools;
