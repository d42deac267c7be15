-- 0010_billing_guards (sqlite): an issued bill or settlement statement never changes, in the
-- store as well as in the code. The one change allowed is issued -> superseded (with the id of
-- the correcting version); lines are written only while their bill is a draft.
CREATE TRIGGER bills_closed BEFORE UPDATE OF user_id, period, version, total_fen, line_count,
    records, reason, rated_at, rated_by, issued_at, issued_by ON bills
    WHEN OLD.state <> 'draft'
BEGIN SELECT RAISE(ABORT, 'an issued bill is immutable'); END;
CREATE TRIGGER bills_state BEFORE UPDATE OF state, superseded_by ON bills
    WHEN OLD.state = 'superseded' OR (OLD.state = 'issued' AND NEW.state <> 'superseded')
BEGIN SELECT RAISE(ABORT, 'an issued bill is immutable'); END;
CREATE TRIGGER bills_keep BEFORE DELETE ON bills WHEN OLD.state <> 'draft'
BEGIN SELECT RAISE(ABORT, 'an issued bill is immutable'); END;
CREATE TRIGGER bill_lines_update BEFORE UPDATE ON bill_lines
BEGIN SELECT RAISE(ABORT, 'bill lines are never changed'); END;
CREATE TRIGGER bill_lines_insert BEFORE INSERT ON bill_lines
    WHEN (SELECT state FROM bills WHERE id = NEW.bill_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'an issued bill is immutable'); END;
CREATE TRIGGER bill_lines_delete BEFORE DELETE ON bill_lines
    WHEN (SELECT state FROM bills WHERE id = OLD.bill_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'an issued bill is immutable'); END;

CREATE TRIGGER settlements_closed BEFORE UPDATE OF provider_id, period, version, gross_fen,
    coefficient, net_fen, reason, rated_at, rated_by, issued_at, issued_by ON settlements
    WHEN OLD.state <> 'draft'
BEGIN SELECT RAISE(ABORT, 'an issued settlement statement is immutable'); END;
CREATE TRIGGER settlements_state BEFORE UPDATE OF state, superseded_by ON settlements
    WHEN OLD.state = 'superseded' OR (OLD.state = 'issued' AND NEW.state <> 'superseded')
BEGIN SELECT RAISE(ABORT, 'an issued settlement statement is immutable'); END;
CREATE TRIGGER settlements_keep BEFORE DELETE ON settlements WHEN OLD.state <> 'draft'
BEGIN SELECT RAISE(ABORT, 'an issued settlement statement is immutable'); END;
CREATE TRIGGER settlement_lines_update BEFORE UPDATE ON settlement_lines
BEGIN SELECT RAISE(ABORT, 'statement lines are never changed'); END;
CREATE TRIGGER settlement_lines_insert BEFORE INSERT ON settlement_lines
    WHEN (SELECT state FROM settlements WHERE id = NEW.settlement_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'an issued settlement statement is immutable'); END;
CREATE TRIGGER settlement_lines_delete BEFORE DELETE ON settlement_lines
    WHEN (SELECT state FROM settlements WHERE id = OLD.settlement_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'an issued settlement statement is immutable'); END;
