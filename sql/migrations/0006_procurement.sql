-- 0006_procurement: procurement projects (GB/T 34077.5 §6.2 a, §7.2 c, §8.2 b, c, f, §12.2 c):
-- declaration → budget compilation → procurement (lots, bids, awards) → project supervision
-- (milestones, supervision records) → performance evaluation → closed, every transition
-- recorded; and the bars that keep a provider from bidding and being awarded.
-- Amounts are integer fen; dates are YYYY-MM-DD text in China Standard Time.

CREATE TABLE procurement_projects (
    id                  BIGINT PRIMARY KEY,
    title               TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    subject             TEXT NOT NULL CHECK (subject IN ('resource', 'product')),
    declared_by         BIGINT NOT NULL REFERENCES institutions (id),
    declared_by_person  BIGINT,
    management_id       BIGINT NOT NULL REFERENCES institutions (id),
    region              TEXT NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('declared', 'budgeted', 'procuring',
                                                       'supervising', 'evaluating', 'closed',
                                                       'cancelled')),
    requested_fen       BIGINT NOT NULL DEFAULT 0 CHECK (requested_fen >= 0),
    fiscal_year         INTEGER NOT NULL DEFAULT 0,
    budget_fen          BIGINT NOT NULL DEFAULT 0 CHECK (budget_fen >= 0),
    budget_line         TEXT NOT NULL DEFAULT '',
    supervisor_id       BIGINT REFERENCES institutions (id),
    score               INTEGER NOT NULL DEFAULT -1,      -- -1 = not evaluated
    findings            TEXT NOT NULL DEFAULT '',
    evaluated_by        BIGINT,
    evaluated_at        BIGINT NOT NULL DEFAULT 0,
    cancel_reason       TEXT NOT NULL DEFAULT '',
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    version             INTEGER NOT NULL
);
CREATE INDEX procurement_projects_management ON procurement_projects (management_id, id);
CREATE INDEX procurement_projects_declared_by ON procurement_projects (declared_by, id);
CREATE INDEX procurement_projects_supervisor ON procurement_projects (supervisor_id, id);
CREATE INDEX procurement_projects_state ON procurement_projects (state, id);

CREATE TABLE procurement_transitions (
    id                  BIGINT PRIMARY KEY,
    project_id          BIGINT NOT NULL REFERENCES procurement_projects (id),
    from_state          TEXT NOT NULL,                    -- '' for the declaration
    to_state            TEXT NOT NULL,
    reason              TEXT NOT NULL DEFAULT '',
    at                  BIGINT NOT NULL,
    by_person           BIGINT,
    by_institution      BIGINT
);
CREATE INDEX procurement_transitions_project ON procurement_transitions (project_id, id);

-- Lots by product category (T5-7.2d); the award is the chosen bid, its amount and its date.
CREATE TABLE procurement_lots (
    id                  BIGINT PRIMARY KEY,
    project_id          BIGINT NOT NULL REFERENCES procurement_projects (id),
    category            TEXT NOT NULL CHECK (category IN ('planning_consulting',
                            'service_design', 'integration_implementation',
                            'operation_maintenance', 'training_promotion')),
    title               TEXT NOT NULL,
    budget_fen          BIGINT NOT NULL CHECK (budget_fen > 0),
    awarded_bid_id      BIGINT,
    awarded_provider_id BIGINT REFERENCES institutions (id),
    award_fen           BIGINT NOT NULL DEFAULT 0,
    awarded_on          TEXT NOT NULL DEFAULT '',
    awarded_at          BIGINT NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL,
    UNIQUE (project_id, title)
);
CREATE INDEX procurement_lots_project ON procurement_lots (project_id, id);
CREATE INDEX procurement_lots_awarded_on ON procurement_lots (awarded_on);

-- One bid per provider per lot, revised in place until the lot is awarded.
CREATE TABLE procurement_bids (
    id                  BIGINT PRIMARY KEY,
    project_id          BIGINT NOT NULL REFERENCES procurement_projects (id),
    lot_id              BIGINT NOT NULL REFERENCES procurement_lots (id),
    provider_id         BIGINT NOT NULL REFERENCES institutions (id),
    amount_fen          BIGINT NOT NULL CHECK (amount_fen > 0),
    note                TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL CHECK (status IN ('submitted', 'awarded', 'not_awarded')),
    submitted_by        BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    version             INTEGER NOT NULL,
    UNIQUE (lot_id, provider_id)
);
CREATE INDEX procurement_bids_project ON procurement_bids (project_id, id);
CREATE INDEX procurement_bids_provider ON procurement_bids (provider_id, project_id);

CREATE TABLE procurement_milestones (
    id                  BIGINT PRIMARY KEY,
    project_id          BIGINT NOT NULL REFERENCES procurement_projects (id),
    title               TEXT NOT NULL,
    due_on              TEXT NOT NULL,
    done_on             TEXT NOT NULL DEFAULT '',
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    version             INTEGER NOT NULL
);
CREATE INDEX procurement_milestones_project ON procurement_milestones (project_id, id);

CREATE TABLE supervision_records (
    id                  BIGINT PRIMARY KEY,
    project_id          BIGINT NOT NULL REFERENCES procurement_projects (id),
    milestone_id        BIGINT REFERENCES procurement_milestones (id),
    evaluator_id        BIGINT NOT NULL REFERENCES institutions (id),
    observation         TEXT NOT NULL,
    conclusion          TEXT NOT NULL CHECK (conclusion IN ('conforming',
                                                            'rectification_required')),
    recorded_by         BIGINT,
    recorded_on         TEXT NOT NULL,
    created_at          BIGINT NOT NULL
);
CREATE INDEX supervision_records_project ON supervision_records (project_id, id);

-- T5-12.2c: a bar by a management institution keeps a provider from bidding and being awarded
-- in the projects of its jurisdiction while in force (valid_from..valid_to, not lifted). The
-- credit module will replace it with restrictions derived from credit grades.
CREATE TABLE provider_bars (
    id                  BIGINT PRIMARY KEY,
    provider_id         BIGINT NOT NULL REFERENCES institutions (id),
    management_id       BIGINT NOT NULL REFERENCES institutions (id),
    reason              TEXT NOT NULL,
    valid_from          TEXT NOT NULL,
    valid_to            TEXT NOT NULL,
    created_by          BIGINT,
    created_at          BIGINT NOT NULL,
    lifted_at           BIGINT NOT NULL DEFAULT 0,
    lifted_by           BIGINT,
    lift_reason         TEXT NOT NULL DEFAULT '',
    CHECK (valid_from <= valid_to)
);
CREATE INDEX provider_bars_provider ON provider_bars (provider_id, id);
CREATE INDEX provider_bars_management ON provider_bars (management_id, id);
