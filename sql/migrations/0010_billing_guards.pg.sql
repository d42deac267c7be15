-- 0010_billing_guards (pg): an issued bill or settlement statement never changes, in the store
-- as well as in the code. The one change allowed is issued -> superseded (with the id of the
-- correcting version); lines are written only while their bill is a draft.
CREATE FUNCTION egov_closed_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.state <> 'draft' THEN
            RAISE EXCEPTION 'an issued % is immutable', TG_TABLE_NAME;
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.state = 'draft' THEN
        RETURN NEW;
    END IF;
    IF OLD.state = 'issued' AND NEW.state = 'superseded'
       AND (to_jsonb(NEW) - 'state' - 'superseded_by') = (to_jsonb(OLD) - 'state' - 'superseded_by') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'an issued % is immutable', TG_TABLE_NAME;
END $$;
CREATE TRIGGER bills_closed BEFORE UPDATE OR DELETE ON bills
    FOR EACH ROW EXECUTE FUNCTION egov_closed_guard();
CREATE TRIGGER settlements_closed BEFORE UPDATE OR DELETE ON settlements
    FOR EACH ROW EXECUTE FUNCTION egov_closed_guard();

CREATE FUNCTION egov_lines_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent TEXT;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'lines of % are never changed', TG_TABLE_NAME;
    END IF;
    IF TG_TABLE_NAME = 'bill_lines' AND TG_OP = 'DELETE' THEN
        SELECT state INTO parent FROM bills WHERE id = OLD.bill_id;
    ELSIF TG_TABLE_NAME = 'bill_lines' THEN
        SELECT state INTO parent FROM bills WHERE id = NEW.bill_id;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT state INTO parent FROM settlements WHERE id = OLD.settlement_id;
    ELSE
        SELECT state INTO parent FROM settlements WHERE id = NEW.settlement_id;
    END IF;
    IF parent IS DISTINCT FROM 'draft' THEN
        RAISE EXCEPTION 'an issued statement is immutable (%)', TG_TABLE_NAME;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER bill_lines_closed BEFORE INSERT OR UPDATE OR DELETE ON bill_lines
    FOR EACH ROW EXECUTE FUNCTION egov_lines_guard();
CREATE TRIGGER settlement_lines_closed BEFORE INSERT OR UPDATE OR DELETE ON settlement_lines
    FOR EACH ROW EXECUTE FUNCTION egov_lines_guard();
