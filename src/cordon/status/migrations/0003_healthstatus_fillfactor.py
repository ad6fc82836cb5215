"""PostgreSQL: health status pages are filled to half on insert, so moving a person's last negative forward (every
screening round, for every person sampled) is a HOT update: the new row version stays on its page and none of
the table's six indexes is written. 200,000 people: 8.9 s with full pages, 2.8 s with fillfactor 50 (issue 24,
copies of a 200,000-resident bench city). A colour change still writes the indexes (colour is indexed). Pages
written before this migration keep their fill until rewritten. SQLite has no fillfactor: nothing to do there."""

from django.db import migrations


def _fillfactor(percent: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE status_healthstatus SET (fillfactor = {percent})")
    return run


class Migration(migrations.Migration):
    dependencies = [("status", "0002_reason_due_index")]
    operations = [migrations.RunPython(_fillfactor(50), _fillfactor(100))]
