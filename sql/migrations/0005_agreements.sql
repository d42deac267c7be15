-- 0005_agreements: service agreements between a management institution and a provider
-- (GB/T 34077.5 §8.2 a): the nine clauses as structured sections, two-step signing, immutable
-- versions with amendments, and breaches recorded against them.

CREATE TABLE agreements (
    id                  BIGINT PRIMARY KEY,
    management_id       BIGINT NOT NULL REFERENCES institutions (id),
    provider_id         BIGINT NOT NULL REFERENCES institutions (id),
    title               TEXT NOT NULL,
    number              INTEGER NOT NULL,          -- 1 for the original, n for the n-th version
    previous_id         BIGINT REFERENCES agreements (id),
    state               TEXT NOT NULL CHECK (state IN ('draft', 'signing', 'in_force',
                                                       'superseded', 'expired')),
    valid_from          TEXT NOT NULL DEFAULT '',
    valid_to            TEXT NOT NULL DEFAULT '',
    -- the nine clauses of T5-8.2a; '' = not written yet
    responsibilities    TEXT NOT NULL DEFAULT '',
    service_content     TEXT NOT NULL DEFAULT '',
    quality_standards   TEXT NOT NULL DEFAULT '',
    security            TEXT NOT NULL DEFAULT '',
    breach_liability    TEXT NOT NULL DEFAULT '',
    dispute_handling    TEXT NOT NULL DEFAULT '',
    ip_ownership        TEXT NOT NULL DEFAULT '',
    performance         TEXT NOT NULL DEFAULT '',
    fee_payment         TEXT NOT NULL DEFAULT '',
    -- quality standards as targets: monthly availability in basis points (9995 = 99.95 %)
    availability_bp     INTEGER NOT NULL DEFAULT 0,
    management_signer   BIGINT,
    management_signed_at BIGINT NOT NULL DEFAULT 0,
    provider_signer     BIGINT,
    provider_signed_at  BIGINT NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    version             INTEGER NOT NULL
);
CREATE INDEX agreements_provider ON agreements (provider_id, id);
CREATE INDEX agreements_management ON agreements (management_id, id);

-- Response and resolution times per incident severity (1 = most severe).
CREATE TABLE agreement_sla (
    agreement_id        BIGINT NOT NULL REFERENCES agreements (id),
    severity            INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),
    response_minutes    INTEGER NOT NULL CHECK (response_minutes > 0),
    resolution_minutes  INTEGER NOT NULL CHECK (resolution_minutes > 0),
    PRIMARY KEY (agreement_id, severity)
);

-- Service content: the products and resource pools the agreement covers.
CREATE TABLE agreement_items (
    agreement_id        BIGINT NOT NULL REFERENCES agreements (id),
    product_id          BIGINT REFERENCES products (id),
    pool_id             BIGINT REFERENCES resource_pools (id),
    CHECK ((product_id IS NULL) <> (pool_id IS NULL))
);
CREATE INDEX agreement_items_agreement ON agreement_items (agreement_id);

CREATE TABLE agreement_breaches (
    id                  BIGINT PRIMARY KEY,
    agreement_id        BIGINT NOT NULL REFERENCES agreements (id),
    clause              TEXT NOT NULL,
    facts               TEXT NOT NULL,
    evidence            TEXT NOT NULL,
    liability           TEXT NOT NULL,
    occurred_on         TEXT NOT NULL,
    recorded_by         BIGINT,
    created_at          BIGINT NOT NULL
);
CREATE INDEX agreement_breaches_agreement ON agreement_breaches (agreement_id, id);
