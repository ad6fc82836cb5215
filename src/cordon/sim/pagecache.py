"""SQLite's page cache sized to the simulated city for a twin run (cordon.sim.twin)."""

from django.db import connection

from cordon.core import bulk

CACHE_KIB_PER_RESIDENT = 20      # SQLite page cache during a run: the day's mirrored check-ins touch pages all over
CACHE_KIB_MAX = 4_000_000        # the (person, time_in) index, and a run is one transaction whose dirty pages spill
                                 # to disk once the cache is full (at 100k: 2 GB, the 60 days' pages fit)


def sized_for(residents: int):
    """SQLite: a page cache sized to the city for the run (the connection's setting is restored after)."""
    return bulk.sqlite_page_cache(connection, min(CACHE_KIB_MAX, CACHE_KIB_PER_RESIDENT * residents))
