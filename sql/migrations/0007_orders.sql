-- 0007_orders: orders of user agencies (GB/T 34077.5 §8.2 e, T5-5.3c) with approval against a
-- budget line (T5-8.2c), delivery of allocations (T5-6.2b), the trial period of at least six
-- months (T5-7.2d), acceptance, changes and release; and the feedback thread with satisfaction
-- ratings (T5-8.2e, T5-10.2e). Nothing of an order's history is ever deleted.

-- Budget lines a management institution records for a user agency. committed_fen is the sum
-- of the estimates of the orders approved on the line and not refused or rejected, kept by one
-- conditional UPDATE so that two approvals racing for the last fen cannot both pass.
CREATE TABLE budget_lines (
    id              BIGINT PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES institutions (id),
    fiscal_year     INTEGER NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2999),
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    amount_fen      BIGINT NOT NULL CHECK (amount_fen > 0),
    committed_fen   BIGINT NOT NULL DEFAULT 0 CHECK (committed_fen >= 0 AND
                                                     committed_fen <= amount_fen),
    created_by      BIGINT,
    created_at      BIGINT NOT NULL,
    UNIQUE (user_id, fiscal_year, code)
);

CREATE TABLE orders (
    id                  BIGINT PRIMARY KEY,
    user_id             BIGINT NOT NULL REFERENCES institutions (id),
    provider_id         BIGINT NOT NULL REFERENCES institutions (id),
    budget_line_id      BIGINT NOT NULL REFERENCES budget_lines (id),
    application         TEXT NOT NULL,
    justification       TEXT NOT NULL,
    estimated_fen       BIGINT NOT NULL CHECK (estimated_fen >= 0),
    state               TEXT NOT NULL CHECK (state IN ('applied', 'approved', 'refused',
                                                       'delivered', 'rejected', 'in_service',
                                                       'released')),
    trial_months        INTEGER NOT NULL DEFAULT 6 CHECK (trial_months BETWEEN 0 AND 36),
    trial_justification TEXT NOT NULL DEFAULT '',
    delivered_on        TEXT NOT NULL DEFAULT '',
    trial_ends_on       TEXT NOT NULL DEFAULT '',
    accepted_on         TEXT NOT NULL DEFAULT '',
    applied_by          BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    version             INTEGER NOT NULL
);
CREATE INDEX orders_user ON orders (user_id, id);
CREATE INDEX orders_provider ON orders (provider_id, id);
CREATE INDEX orders_budget_line ON orders (budget_line_id);

-- What is ordered: an online product, or a quantity of a resource pool's capacity. Delivery
-- fills allocation_id for pool items.
CREATE TABLE order_items (
    id              BIGINT PRIMARY KEY,
    order_id        BIGINT NOT NULL REFERENCES orders (id),
    product_id      BIGINT REFERENCES products (id),
    pool_id         BIGINT REFERENCES resource_pools (id),
    quantity        BIGINT NOT NULL DEFAULT 0 CHECK (quantity >= 0),
    allocation_id   BIGINT REFERENCES allocations (id),
    CHECK ((product_id IS NULL) <> (pool_id IS NULL))
);
CREATE INDEX order_items_order ON order_items (order_id, id);
CREATE INDEX order_items_product ON order_items (product_id);

-- Every state change: from, to, who, when, why.
CREATE TABLE order_transitions (
    id              BIGINT PRIMARY KEY,
    order_id        BIGINT NOT NULL REFERENCES orders (id),
    from_state      TEXT NOT NULL,
    to_state        TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    by_person       BIGINT,
    by_institution  BIGINT,
    at              BIGINT NOT NULL
);
CREATE INDEX order_transitions_order ON order_transitions (order_id, id);

-- Changes of a pool item in service (adjust / expand): asked by the user agency, applied by
-- the provider through the resource module.
CREATE TABLE order_changes (
    id              BIGINT PRIMARY KEY,
    order_id        BIGINT NOT NULL REFERENCES orders (id),
    item_id         BIGINT NOT NULL REFERENCES order_items (id),
    op              TEXT NOT NULL CHECK (op IN ('adjust', 'expand')),
    quantity        BIGINT NOT NULL CHECK (quantity > 0),
    reason          TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('requested', 'applied', 'cancelled')),
    quantity_before BIGINT NOT NULL DEFAULT 0,
    quantity_after  BIGINT NOT NULL DEFAULT 0,
    requested_by    BIGINT,
    requested_at    BIGINT NOT NULL,
    applied_by      BIGINT,
    applied_at      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX order_changes_order ON order_changes (order_id, id);

-- Feedback with a satisfaction rating from the user agency, and the provider's answers.
CREATE TABLE order_feedback (
    id              BIGINT PRIMARY KEY,
    order_id        BIGINT NOT NULL REFERENCES orders (id),
    rating          INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment         TEXT NOT NULL DEFAULT '',
    by_person       BIGINT,
    by_institution  BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX order_feedback_order ON order_feedback (order_id, id);

CREATE TABLE order_feedback_answers (
    id              BIGINT PRIMARY KEY,
    feedback_id     BIGINT NOT NULL REFERENCES order_feedback (id),
    text            TEXT NOT NULL,
    by_person       BIGINT,
    by_institution  BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX order_feedback_answers_feedback ON order_feedback_answers (feedback_id, id);
