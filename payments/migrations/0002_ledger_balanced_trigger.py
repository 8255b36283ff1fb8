"""The database enforces the ledger (PostgreSQL): entries of each transaction sum to zero per currency, checked at
commit by a deferred constraint trigger; entries are append-only (no UPDATE, no DELETE)."""

from django.db import migrations

BALANCED = """
CREATE FUNCTION payments_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    txn bigint;
    bad record;
BEGIN
    txn := COALESCE(NEW.transaction_id, OLD.transaction_id);
    SELECT currency, SUM(amount) AS total INTO bad FROM payments_entry WHERE transaction_id = txn
        GROUP BY currency HAVING SUM(amount) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % does not balance: % %', txn, bad.total, bad.currency
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON payments_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION payments_entry_balanced();

CREATE FUNCTION payments_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only' USING ERRCODE = 'check_violation';
END $$;

CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON payments_entry
    FOR EACH ROW EXECUTE FUNCTION payments_entry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS ledger_entry_append_only ON payments_entry;
DROP FUNCTION IF EXISTS payments_entry_append_only();
DROP TRIGGER IF EXISTS ledger_entry_balanced ON payments_entry;
DROP FUNCTION IF EXISTS payments_entry_balanced();
"""


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunSQL(BALANCED, DROP)]
