"""Excel rows for zones (shared by the web view and the API)."""

from cordon.core import clock, tabular

HEADERS = ["id", "name", "kind", "status", "district", "region_path", "population", "households", "vulnerable",
           "designated_at", "in_force_at", "lifted_at", "origin"]


def zones_xlsx(qs) -> bytes:
    """One row per zone."""
    def when(v):
        return clock.local(v).strftime("%Y-%m-%d %H:%M") if v else ""

    rows = [[z.pk, z.name, z.kind, z.status, z.district_path, z.region_path, z.population, z.households, z.vulnerable,
             when(z.designated_at), when(z.in_force_at), when(z.lifted_at), z.origin] for z in qs.order_by("id").iterator()]
    return tabular.xlsx_bytes(HEADERS, rows)
