"""After a bulk load on PostgreSQL: VACUUM (ANALYZE) the loaded tables (the city generator, the benchmarks)."""

from django.db import connections


def vacuum_analyze(*models_, using: str = "default") -> None:
    """VACUUM (ANALYZE) the tables, as autovacuum would on a running server, so the planner has statistics and
    index-only scans work (a freshly COPYed table has no visibility map). No-op elsewhere or inside a transaction."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")
