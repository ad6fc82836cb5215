"""SQLite's page cache sized to the simulated city for a twin run (cordon.sim.twin)."""

import contextlib

from django.db import connection

CACHE_KIB_PER_RESIDENT = 20      # SQLite page cache during a run: the day's mirrored check-ins touch pages all over
CACHE_KIB_MAX = 4_000_000        # the (person, time_in) index, and a run is one transaction whose dirty pages spill
                                 # to disk once the cache is full (at 100k: 2 GB, the 60 days' pages fit)


@contextlib.contextmanager
def sized_for(residents: int):
    """SQLite: a page cache sized to the city for the run (the connection's setting is restored after)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        saved = int(cur.fetchone()[0])
        want = min(CACHE_KIB_MAX, CACHE_KIB_PER_RESIDENT * residents)
        current_kib = -saved if saved < 0 else saved * connection.connection.execute("PRAGMA page_size").fetchone()[0] // 1024
        if want > current_kib:
            cur.execute(f"PRAGMA cache_size = -{int(want)}")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA cache_size = {saved}")
