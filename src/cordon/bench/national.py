"""`cordon bench national [--communities N] [--places N]`: the national risk-area list at the size of its largest real
snapshots (December 2022: ~44,000 communities in ~3,000 counties), synthetic but shaped like it (each county a few
dozen high-risk communities and one county-wide low-risk entry). Measures: import, the same list again (no change),
a newer list ending an eighth of the communities, and matching arrivals' places against it (selectors.external_risk).
Baselines in the same run: the same rows inserted with the ORM's bulk_create, and matching by scanning every area.
Everything runs in a transaction that is rolled back."""

import time

from django.db import transaction

from cordon.bench.base import SYSTEM, Bench, Rollback
from cordon.core.figures import print_json, print_table
from cordon.zones import national, selectors, services
from cordon.zones.models import ExternalArea, NationalList


def _document(counties: int, per: int, hour: int, *, drop: int = 0) -> dict:
    high, low = [], []
    for c in range(counties):
        where = {"type": national.ENTRY_TYPE, "province": f"第{c % 31}省", "city": f"第{c % 300}市", "county": f"第{c}县"}
        high.append({**where, "area_name": "", "communitys": [f"第{c}街道第{i}小区" for i in range(drop, per)]})
        low.append({**where, "area_name": "", "communitys": [f"第{c}县除高风险区以外地区"]})
    return {"code": 0, "msg": "查询成功", "data": {"end_update_time": f"2022-12-03 {hour:02d}时", "highlist": high,
                                                   "middlelist": [], "lowlist": low}}


def _naive(rows: list, place: str):
    """The baseline: every area's county and community (or its county-wide entry) looked for in the place."""
    best = None
    for level, county, community in rows:
        if county in place and (community in place or community.startswith(county + "除")):
            if best is None or national.LEVEL_RANK[level] > national.LEVEL_RANK[best]:
                best = level
    return best


class NationalBench(Bench):
    name = "national"
    help = "import and match the national risk-area list at its real size"

    arguments = {
        "communities": 44_000,
        "places": 2_000,
    }

    # long: one timed step after the other inside the rolled-back transaction, each figure named
    def run(self, options: dict, stdout) -> dict:
        per = 15
        counties = max(1, options["communities"] // (per + 1))
        doc = _document(counties, per, 8)
        places = [f"第{c % 31}省第{c % 300}市第{c}县第{c}街道第{c % per}小区3栋" if c % 2 else f"第{c % 300}市第{c}县人民路{c}号"
                  for c in range(0, counties, max(1, counties // options["places"]))][:options["places"]]
        out: dict = {"communities": counties * (per + 1), "counties": counties, "places": len(places)}
        try:
            with transaction.atomic():
                t = time.perf_counter()
                report = services.national_import(actor=SYSTEM, doc=doc)
                out["import_s"] = time.perf_counter() - t
                parsed = national.parse_document(doc)
                with transaction.atomic():
                    snapshot = NationalList.objects.first()
                    t = time.perf_counter()
                    ExternalArea.objects.bulk_create(
                        [ExternalArea(level=a.level, province=a.province, city=a.city, county=a.county + "*", community=a.community,
                                      listed_from=parsed.updated_at, first_list=snapshot) for a in parsed.areas], batch_size=2000)
                    out["baseline_orm_bulk_create_s"] = time.perf_counter() - t
                    ExternalArea.objects.filter(county__endswith="*").delete()
                t = time.perf_counter()
                again = services.national_import(actor=SYSTEM, doc=doc)
                out["same_list_again_s"] = time.perf_counter() - t
                t = time.perf_counter()
                newer = services.national_import(actor=SYSTEM, doc=_document(counties, per, 10, drop=2))
                out["newer_list_s"] = time.perf_counter() - t
                selectors.external_risk(place=places[0])  # the index is built once per list
                t = time.perf_counter()
                hits = [selectors.external_risk(place=p) for p in places]
                out["match_ms_per_place"] = (time.perf_counter() - t) / max(1, len(places)) * 1000
                rows = list(ExternalArea.objects.filter(listed_until__isnull=True).values_list("level", "county", "community"))
                sample = places[:200]
                t = time.perf_counter()
                naive = [_naive(rows, p) for p in sample]
                out["baseline_scan_ms_per_place"] = (time.perf_counter() - t) / max(1, len(sample)) * 1000
                out["agree_with_baseline"] = all((h["national_level"] if h else None) == n for h, n in zip(hits, naive, strict=False))
                out.update(listed_high=report["high"], listed_low=report["low"], unchanged_again=again["unchanged"],
                           changed_again=again["changed"], ended_by_newer=newer["removed"],
                           high_hits=sum(1 for h in hits if h and h["level"] == "high"),
                           low_hits=sum(1 for h in hits if h and h["level"] == "low"))
                raise Rollback
        except Rollback:
            pass
        print_table(stdout, list(out.items()), title=f"national risk-area list bench, {out['communities']:,} communities")
        print_json(stdout, {"bench": "national", **out})
        return out


BENCHES = {"national": NationalBench()}
