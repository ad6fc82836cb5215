"""Demo data: a finished round over district A (results in, one positive pool decoded by retests,
one retest still open) and a city-wide round in progress (part sampled, tubes at every stage).

Everything goes through the services (set-based registration in batches), so the demo exercises
the same paths as the sampler page, the bulk API and the lab imports."""

import datetime as dt

from cordon.core import clock
from cordon.people.models import Person
from cordon.regions.models import Region
from cordon.screening import services
from cordon.screening.models import Retest, Tube


def packed(rnd, residents, *, tube_code, keep=None) -> list[dict]:
    """The residents ((id_number, grid path) pairs, in order) who live in a grid of one of the round's sites, packed
    in site order into tubes of the site's pool size: [{"person", "tube": tube_code(n) of the n-th tube, "site"}].
    `keep()`, asked once per resident of a site, leaves out those it answers False for. (The demo and the screening
    benchmark register their samples so.)"""
    grid_site, pool = {}, {}
    for site in rnd.sites.all():
        pool[site.pk] = site.pool_size
        for g in site.grid_paths:
            grid_site[g] = site.pk
    by_site: dict[int, list[str]] = {}
    for id_number, path in residents:
        site = grid_site.get(path)
        if site is not None and (keep is None or keep()):
            by_site.setdefault(site, []).append(id_number)
    items, tube = [], 0
    for site, ids in by_site.items():
        for i, id_number in enumerate(ids):
            if i % pool[site] == 0:
                tube += 1
            items.append({"person": id_number, "tube": tube_code(tube), "site": site})
    return items


def _items(rnd, *, share: float, rng, start: dt.datetime, minutes: float, tag: str) -> list[dict]:
    """Residents of the round's sites (a share of each grid), packed into tubes, with sampling times."""
    residents = (Person.objects.filter(region_path__startswith=rnd.region_path + ".")
                 .order_by("region_path", "id").values_list("id_number", "region_path").iterator(chunk_size=20000))
    items = packed(rnd, residents, tube_code=lambda n: f"{tag}{rnd.pk:03d}{n:08d}",
                   keep=lambda: share >= 1 or rng.random() < share)
    for item in items:
        item["sampled_at"] = start + dt.timedelta(minutes=rng.random() * minutes)
    return items


def _hl7_batch(codes: list[str], *, now: dt.datetime) -> str:
    """An FHS/BHS batch of ORU^R01 messages, one per tube: SARS-CoV-2 RNA not detected, with the ask-at-order-entry
    answers labs send; the first tube's panel also tests influenza A (detected), which never makes a tube positive."""
    stamp = clock.local(now - dt.timedelta(minutes=5)).strftime("%Y%m%d%H%M%S")
    segs = [f"FHS|^~\\&|LIS|市疾控中心实验室|CORDON|CITY|{stamp}", f"BHS|^~\\&|LIS|市疾控中心实验室|CORDON|CITY|{stamp}"]
    for n, code in enumerate(codes, 1):
        panel = "95422-2^FluAB + SARS-CoV-2 Pnl Resp NAA+prb^LN" if n == 1 else "94531-1^SARS-CoV-2 RNA Pnl Resp NAA+probe^LN"
        segs += [f"MSH|^~\\&|LIS|市疾控中心实验室|CORDON|CITY|{stamp}||ORU^R01^ORU_R01|DEMO{n:05d}|P|2.5.1",
                 f"OBR|1||{code}|{panel}|||{stamp}|||||||||||||||{stamp}|||F",
                 f"OBX|1|CWE|94500-6^SARS-CoV-2 RNA Resp Ql NAA+probe^LN||260415000^Not detected^SCT||||||F|||{stamp}",
                 "OBX|2|CWE|95419-8^Has symptoms related to condition of interest^LN||N^No^HL70136||||||F"]
        if n == 1:
            segs.append(f"OBX|3|CWE|92142-9^FLUAV RNA Resp Ql NAA+probe^LN||260373001^Detected^SCT||||||F|||{stamp}")
        segs.append(f"SPM|1|{code}||258500001^Nasopharyngeal swab^SCT|||||||||||||{stamp}")
    return "\r".join([*segs, f"BTS|{len(codes)}", "FTS|1"]) + "\r"


def _results_by_hl7(lab, codes: list[str], *, now: dt.datetime) -> None:
    """A lab's LIS sends its results as an HL7 v2 ORU^R01 batch (ELR), one of them a multiplex panel."""
    if codes:
        services.results_import_hl7(actor=lab, message=_hl7_batch(codes, now=now))


def _register(actor, rnd, items):
    for i in range(0, len(items), 10_000):
        services.samples_register(actor=actor, round_id=rnd.pk, items=items[i:i + 10_000])


def seed(ctx) -> None:
    commander = ctx.accounts["commander"]
    lab = ctx.accounts.get("lab", commander)
    sampler = ctx.accounts.get("sampler_a", commander)
    rng = ctx.rng
    now = ctx.now
    district = sampler.posts.first().region if sampler != commander else Region.objects.filter(level=2).order_by("path").first()
    city = Region.objects.get(parent__isnull=True)

    # 1. finished round over district A
    start = now - dt.timedelta(hours=30)
    done = services.round_plan(actor=commander, name=f"{district.name}第1轮全员核酸", region=district, starts_at=start,
                               ends_at=start + dt.timedelta(hours=24), pool_size=10)
    services.round_publish(actor=commander, rnd=done)
    items = _items(done, share=0.97, rng=rng, start=start, minutes=14 * 60, tag="A")
    _register(sampler, done, items)
    services.round_close(actor=commander, rnd=done)
    sampled = {}
    for it in items:
        sampled[it["tube"]] = max(sampled.get(it["tube"], start), it["sampled_at"])
    positive = rng.choice(sorted(sampled))
    results = []
    for code, last in sampled.items():
        received = last + dt.timedelta(minutes=60 + rng.random() * 180)
        results.append({"tube": code, "result": "positive" if code == positive else "negative", "lab": "市疾控中心实验室",
                        "received_at": received, "tested_at": received + dt.timedelta(minutes=120 + rng.random() * 240),
                        "ct_orf1ab": 31.5 if code == positive else None, "ct_n": 32.8 if code == positive else None})
    for i in range(0, len(results), 20_000):
        services.results_apply(actor=lab, items=results[i:i + 20_000], source="demo")
    retests = list(Retest.objects.filter(round=done).order_by("id"))
    codes = [f"R{done.pk:03d}{n:08d}" for n in range(1, len(retests))]  # the last member is still waiting
    if codes:
        services.retests_register(actor=sampler, items=[{"retest": r, "tube": code, "sampled_at": now - dt.timedelta(hours=2)}
                                                        for r, code in zip(retests[:-1], codes, strict=True)])
    retest_results = [{"tube": code, "result": "positive" if n == 1 else "negative", "lab": "市疾控中心实验室",
                       "ct_orf1ab": 24.2 if n == 1 else None} for n, code in enumerate(codes, 1)]
    if retest_results:
        services.results_apply(actor=lab, items=retest_results, source="demo retests")

    # 2. city-wide round in progress: part sampled, tubes open, in transit, at labs and tested
    start = now - dt.timedelta(hours=3)
    running = services.round_plan(actor=commander, name=f"{city.name}第2轮全员核酸", region=city, starts_at=start,
                                  ends_at=start + dt.timedelta(hours=24), pool_size=10)
    services.round_publish(actor=commander, rnd=running)
    items = _items(running, share=0.35, rng=rng, start=start, minutes=170, tag="B")
    _register(commander, running, items)
    codes = list(Tube.objects.filter(round=running, status="open").order_by("id").values_list("code", flat=True))
    cut = len(codes) // 10
    services.tubes_close(actor=commander, codes=codes[cut:])
    closed = codes[cut:]
    half = len(closed) // 2
    if half:
        services.tubes_receive(actor=lab, codes=closed[:half], lab="市疾控中心实验室")
        tested = closed[: half // 2]
        services.results_apply(actor=lab, items=[{"tube": c, "result": "negative", "lab": "市疾控中心实验室"} for c in tested],
                               source="demo running")
        _results_by_hl7(lab, closed[half // 2: half][:20], now=now)
    ctx.say(f"screening: {done.name} finished ({len(sampled)} tubes, 1 positive pool, {len(retests)} retests); "
            f"{running.name} in progress ({len(items)} samples)")
