"""Database guard: the stock ledger refuses UPDATE and DELETE (append-only), on SQLite and PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS supplies_movement_no_update BEFORE UPDATE ON supplies_movement "
    "BEGIN SELECT RAISE(ABORT, 'the stock ledger is append-only'); END;",
    "CREATE TRIGGER IF NOT EXISTS supplies_movement_no_delete BEFORE DELETE ON supplies_movement "
    "BEGIN SELECT RAISE(ABORT, 'the stock ledger is append-only'); END;",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS supplies_movement_no_update;", "DROP TRIGGER IF EXISTS supplies_movement_no_delete;"]
PG = [
    "CREATE OR REPLACE FUNCTION supplies_movement_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the stock ledger is append-only'; END; $$ LANGUAGE plpgsql;",
    "DROP TRIGGER IF EXISTS supplies_movement_no_change ON supplies_movement;",
    "CREATE TRIGGER supplies_movement_no_change BEFORE UPDATE OR DELETE ON supplies_movement "
    "FOR EACH ROW EXECUTE FUNCTION supplies_movement_append_only();",
]
PG_DROP = ["DROP TRIGGER IF EXISTS supplies_movement_no_change ON supplies_movement;",
           "DROP FUNCTION IF EXISTS supplies_movement_append_only();"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("supplies", "0001_initial")]
    operations = [migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": PG}), _run({"sqlite": SQLITE_DROP, "postgresql": PG_DROP}))]
