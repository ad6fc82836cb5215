"""Demo streams: three years of daily counts per district with weekly and yearly seasonality, and
a rise in fever-clinic visits and pharmacy sales in district A over the last ten days."""

import datetime as dt

import numpy as np

from cordon.regions.models import Level, Region
from cordon.surveillance import services

BASE = {"fever_clinic": 40, "pharmacy": 120, "ili": 25, "school_absence": 60}


def seed(ctx):
    actor = ctx.accounts["commander"]
    today = ctx.today
    days = 3 * 364 + 14
    start = today - dt.timedelta(days=days - 1)
    rng = np.random.default_rng(ctx.seed)
    districts = list(Region.objects.filter(level=Level.DISTRICT).order_by("path"))
    t = np.arange(days)
    items = []
    for i, region in enumerate(districts):
        scale = max(0.3, region.population / 15000)
        for stream, base in BASE.items():
            season = 1 + 0.35 * np.cos(2 * np.pi * (t + (start.timetuple().tm_yday - 15)) / 365.25)
            weekday = np.array([(start + dt.timedelta(days=int(d))).weekday() for d in t])
            week = np.where(weekday >= 5, 0.8 if stream != "school_absence" else 0.05, 1.0)
            mu = base * scale * season * week
            if i == 0 and stream in ("fever_clinic", "pharmacy"):
                mu[-10:] *= np.linspace(1.5, 3.0, 10)
            counts = rng.poisson(mu)
            items += [{"date": start + dt.timedelta(days=int(d)), "region_code": region.code, "stream": stream,
                       "count": float(c), "source": "demo"} for d, c in zip(t, counts, strict=True)]
    report = services.observations_store(actor=actor, items=items)
    signals = services.detect(actor=actor, on=today)
    rt = services.rt_refresh(actor=actor, on=today)
    ctx.say(f"surveillance: {report['rows']:,} daily counts, {signals} signals, Rt for {rt} districts")
