-- 0003_products: service products (GB/T 34077.5 §7): the five categories, priced metrics,
-- the lifecycle with recorded transitions, tests by independent evaluators, the price basis
-- published by evaluators, recommendation and elimination, documents and training.

CREATE TABLE products (
    id              BIGINT PRIMARY KEY,
    provider_id     BIGINT NOT NULL REFERENCES institutions (id),
    name            TEXT NOT NULL,
    category        TEXT NOT NULL CHECK (category IN ('planning_consulting', 'service_design',
                        'integration_implementation', 'operation_maintenance',
                        'training_promotion')),
    description     TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'testing', 'passed',
                        'failed', 'online', 'offline', 'eliminated')),
    recommended     INTEGER NOT NULL DEFAULT 0 CHECK (recommended IN (0, 1)),
    recommend_note  TEXT NOT NULL DEFAULT '',
    eliminate_note  TEXT NOT NULL DEFAULT '',
    region          TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    version         INTEGER NOT NULL,
    UNIQUE (provider_id, name)
);
CREATE INDEX products_provider ON products (provider_id, id);
CREATE INDEX products_state ON products (state, id);

-- What a product is made of: resource pools of the same provider.
CREATE TABLE product_resources (
    product_id      BIGINT NOT NULL REFERENCES products (id),
    pool_id         BIGINT NOT NULL REFERENCES resource_pools (id),
    PRIMARY KEY (product_id, pool_id)
);

-- T5-7.1: quantifiable, measurable, priceable. Money is integer fen.
CREATE TABLE product_metrics (
    id              BIGINT PRIMARY KEY,
    product_id      BIGINT NOT NULL REFERENCES products (id),
    name            TEXT NOT NULL,
    unit            TEXT NOT NULL,
    method          TEXT NOT NULL,
    list_price_fen  BIGINT NOT NULL CHECK (list_price_fen >= 0),
    created_at      BIGINT NOT NULL,
    UNIQUE (product_id, name)
);

CREATE TABLE product_transitions (
    id              BIGINT PRIMARY KEY,
    product_id      BIGINT NOT NULL REFERENCES products (id),
    from_state      TEXT NOT NULL,
    to_state        TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    at              BIGINT NOT NULL,
    by_person       BIGINT,
    by_institution  BIGINT
);
CREATE INDEX product_transitions_product ON product_transitions (product_id, id);

CREATE TABLE product_tests (
    id              BIGINT PRIMARY KEY,
    product_id      BIGINT NOT NULL REFERENCES products (id),
    evaluator_id    BIGINT NOT NULL REFERENCES institutions (id),
    assigned_by     BIGINT,
    status          TEXT NOT NULL CHECK (status IN ('assigned', 'passed', 'failed')),
    findings        TEXT NOT NULL DEFAULT '',
    report_ref      TEXT NOT NULL DEFAULT '',
    tested_on       TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX product_tests_product ON product_tests (product_id, id);
CREATE INDEX product_tests_evaluator ON product_tests (evaluator_id, id);

-- T5-7.2e: measurement results and price basis per metric, valid for a period. Periods of one
-- metric never overlap, so the price in force on any date is one row or none.
CREATE TABLE price_basis (
    id              BIGINT PRIMARY KEY,
    metric_id       BIGINT NOT NULL REFERENCES product_metrics (id),
    evaluator_id    BIGINT NOT NULL REFERENCES institutions (id),
    price_fen       BIGINT NOT NULL CHECK (price_fen >= 0),
    measurement     TEXT NOT NULL,
    valid_from      TEXT NOT NULL,
    valid_to        TEXT NOT NULL,
    published_at    BIGINT NOT NULL,
    CHECK (valid_from <= valid_to)
);
CREATE INDEX price_basis_metric ON price_basis (metric_id, valid_from);

-- T5-8.2d: user manuals and training offerings.
CREATE TABLE product_documents (
    id              BIGINT PRIMARY KEY,
    product_id      BIGINT NOT NULL REFERENCES products (id),
    kind            TEXT NOT NULL CHECK (kind IN ('manual', 'training')),
    title           TEXT NOT NULL,
    content         TEXT NOT NULL,
    session_date    TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE INDEX product_documents_product ON product_documents (product_id, id);
