-- 0014_usage_guards (issue 12): the start of service of an allocation and the volume of rejected
-- usage lines per provider.
--
-- Usage is accepted from the allocation's start on: its creation, or an earlier service_start
-- stated with a reason when a service running elsewhere is migrated onto the platform (0 = none,
-- the creation is the start). Set by the provider, audited, answered with the allocation.
ALTER TABLE allocations ADD COLUMN service_start BIGINT NOT NULL DEFAULT 0;
ALTER TABLE allocations ADD COLUMN service_start_reason TEXT NOT NULL DEFAULT '';

-- The rejected lines of a provider's batches in a recent window (usage_reject_limit) are summed
-- from its newest batches.
CREATE INDEX usage_batches_provider ON usage_batches (provider_id, started_at);

-- A batch stores the outcomes of its first USAGE_OUTCOMES_MAX lines that were not accepted and
-- counts the rest here, so that junk cannot fill the store (the counts stay exact).
ALTER TABLE usage_batches ADD COLUMN outcomes_not_stored BIGINT NOT NULL DEFAULT 0;
