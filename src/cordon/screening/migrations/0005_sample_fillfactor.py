"""PostgreSQL: sample pages are filled to half on insert, so the one update of each sample (its tube's result) is a
HOT update: the new row version stays on its page and none of the table's six indexes is written. With full
pages (fillfactor 100) each of a round's million result updates wrote six index entries: 6.0 s for 200,000
samples, 0.6 s with fillfactor 50 (issue 24, copies of a 200,000-resident bench city). Pages written before this
migration keep their fill until rewritten. SQLite has no fillfactor: nothing to do there."""

from django.db import migrations


def _fillfactor(percent: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE screening_sample SET (fillfactor = {percent})")
    return run


class Migration(migrations.Migration):
    dependencies = [("screening", "0004_status_labels_translated")]
    operations = [migrations.RunPython(_fillfactor(50), _fillfactor(100))]
