-- 0013_price_backdating: a price basis that starts before the current month (China Standard
-- Time) would re-price months that may already be billed (issue 12). The evaluator publishes
-- one only after management of the provider's jurisdiction has recorded why; each record
-- allows one basis of one metric from valid_from on and names the basis that used it. Issued
-- bills never change either way (docs/billing.md).
CREATE TABLE price_backdatings (
    id              BIGINT PRIMARY KEY,
    metric_id       BIGINT NOT NULL REFERENCES product_metrics (id),
    valid_from      TEXT NOT NULL,
    reason          TEXT NOT NULL,
    management_id   BIGINT NOT NULL REFERENCES institutions (id),
    granted_by      BIGINT,
    basis_id        BIGINT REFERENCES price_basis (id),
    created_at      BIGINT NOT NULL
);
CREATE INDEX price_backdatings_metric ON price_backdatings (metric_id, valid_from);
