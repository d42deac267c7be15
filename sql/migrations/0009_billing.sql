-- 0009_billing: rating of metered usage against the price basis (T5-7.2e) into monthly bills per
-- user agency and settlement statements per provider, with quality coefficients, budget use
-- and budget alerts (T5-8.2c). Money is integer fen; quantities are integer millionths of a
-- unit; unit prices are integer ten-thousandths of a fen (1 fen = 10000). Billing months and
-- days are those of China Standard Time (UTC+08:00, no daylight saving).

-- Prices are graded by service level (GB/T 34077.2): an allocation is delivered at one level.
ALTER TABLE allocations ADD COLUMN service_level TEXT NOT NULL DEFAULT 'standard'
    CHECK (service_level IN ('basic', 'standard', 'premium'));

-- The rates of a price basis, by service level, in graduated tiers: the part of a bill line's
-- monthly quantity at or above tier_from (and below the next tier) is charged at unit_price.
-- A basis without rates charges its price_fen per unit at every level in one tier. A level
-- without rates is charged at the standard level's.
CREATE TABLE price_rates (
    basis_id        BIGINT NOT NULL REFERENCES price_basis (id),
    service_level   TEXT NOT NULL CHECK (service_level IN ('basic', 'standard', 'premium')),
    tier_from       BIGINT NOT NULL CHECK (tier_from >= 0),
    unit_price      BIGINT NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (basis_id, service_level, tier_from)
);

-- The accepted usage of each series (allocation, metric) per day, kept by the ingest in the
-- same transaction as the records it sums, so rating reads days, not records.
-- egov billing verify recomputes it from usage_records.
CREATE TABLE usage_daily (
    allocation_id   BIGINT NOT NULL,
    metric_id       BIGINT NOT NULL,
    day             INTEGER NOT NULL,
    quantity        BIGINT NOT NULL CHECK (quantity >= 0),
    records         BIGINT NOT NULL CHECK (records >= 0),
    PRIMARY KEY (day, allocation_id, metric_id)
);
INSERT INTO usage_daily (allocation_id, metric_id, day, quantity, records)
    SELECT allocation_id, metric_id, (period_start + 28800000) / 86400000, SUM(quantity), COUNT(*)
    FROM usage_records GROUP BY allocation_id, metric_id, (period_start + 28800000) / 86400000;

-- A monthly bill of a user agency. Version 1 is the first rating of the month; once a version
-- is issued it never changes, and a correction is a new version (with its reason) that
-- supersedes it when issued. At most one draft per agency and month.
CREATE TABLE bills (
    id              BIGINT PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES institutions (id),
    period          TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    state           TEXT NOT NULL CHECK (state IN ('draft', 'issued', 'superseded')),
    total_fen       BIGINT NOT NULL CHECK (total_fen >= 0),
    line_count  INTEGER NOT NULL,
    records         BIGINT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    rated_at        BIGINT NOT NULL,
    rated_by        BIGINT,
    issued_at       BIGINT NOT NULL DEFAULT 0,
    issued_by       BIGINT,
    superseded_by   BIGINT,
    UNIQUE (user_id, period, version)
);
CREATE INDEX bills_period ON bills (period, user_id);

-- A bill line: one provider, product, metric, application system, service level, price basis
-- and budget line. amount_fen is the exact amount rounded half up to the fen, once.
CREATE TABLE bill_lines (
    bill_id         BIGINT NOT NULL REFERENCES bills (id),
    line_no         INTEGER NOT NULL,
    provider_id     BIGINT NOT NULL,
    product_id      BIGINT NOT NULL,
    metric_id       BIGINT NOT NULL,
    application     TEXT NOT NULL,
    service_level   TEXT NOT NULL,
    basis_id        BIGINT,
    budget_line_id  BIGINT,
    quantity        BIGINT NOT NULL,
    records         BIGINT NOT NULL,
    amount_fen      BIGINT NOT NULL CHECK (amount_fen >= 0),
    PRIMARY KEY (bill_id, line_no)
);
CREATE INDEX bill_lines_budget ON bill_lines (budget_line_id);
CREATE INDEX bill_lines_provider ON bill_lines (provider_id);

-- The quality coefficient of a provider for a month, entered by the management institution
-- (the quality module will compute it later); 10000 is 1.0000.
CREATE TABLE quality_coefficients (
    provider_id     BIGINT NOT NULL REFERENCES institutions (id),
    period          TEXT NOT NULL,
    coefficient     INTEGER NOT NULL CHECK (coefficient BETWEEN 0 AND 20000),
    note            TEXT NOT NULL DEFAULT '',
    set_by          BIGINT,
    set_at          BIGINT NOT NULL,
    PRIMARY KEY (provider_id, period)
);

-- A monthly settlement statement of a provider, drawn from the issued bills of the month:
-- gross is their sum for the provider, net is gross times the quality coefficient rounded
-- half up to the fen once. Versioned and immutable once issued, like bills.
CREATE TABLE settlements (
    id              BIGINT PRIMARY KEY,
    provider_id     BIGINT NOT NULL REFERENCES institutions (id),
    period          TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    state           TEXT NOT NULL CHECK (state IN ('draft', 'issued', 'superseded')),
    gross_fen       BIGINT NOT NULL CHECK (gross_fen >= 0),
    coefficient     INTEGER NOT NULL,
    net_fen         BIGINT NOT NULL CHECK (net_fen >= 0),
    reason          TEXT NOT NULL DEFAULT '',
    rated_at        BIGINT NOT NULL,
    rated_by        BIGINT,
    issued_at       BIGINT NOT NULL DEFAULT 0,
    issued_by       BIGINT,
    superseded_by   BIGINT,
    UNIQUE (provider_id, period, version)
);
CREATE INDEX settlements_period ON settlements (period, provider_id);

-- A statement line: what one user agency's issued bill owes the provider for one product.
CREATE TABLE settlement_lines (
    settlement_id   BIGINT NOT NULL REFERENCES settlements (id),
    line_no         INTEGER NOT NULL,
    user_id         BIGINT NOT NULL,
    bill_id         BIGINT NOT NULL,
    product_id      BIGINT NOT NULL,
    line_count  INTEGER NOT NULL,
    amount_fen      BIGINT NOT NULL CHECK (amount_fen >= 0),
    PRIMARY KEY (settlement_id, line_no)
);

-- A budget line's use passed a threshold (per cent of its amount) through issued bills; each
-- threshold of a line fires once, and both the agency and the management institution see it.
CREATE TABLE budget_alerts (
    id              BIGINT PRIMARY KEY,
    budget_line_id  BIGINT NOT NULL REFERENCES budget_lines (id),
    user_id         BIGINT NOT NULL,
    threshold_pct   INTEGER NOT NULL CHECK (threshold_pct BETWEEN 1 AND 1000),
    billed_fen      BIGINT NOT NULL,
    amount_fen      BIGINT NOT NULL,
    bill_id         BIGINT NOT NULL,
    fired_at        BIGINT NOT NULL,
    acknowledged_by BIGINT,
    acknowledged_at BIGINT NOT NULL DEFAULT 0,
    UNIQUE (budget_line_id, threshold_pct)
);
CREATE INDEX budget_alerts_user ON budget_alerts (user_id, id);
