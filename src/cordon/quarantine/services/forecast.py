"""The Rt and forecast refresh with quarantine's figure: the people already in a site, who cannot enter one again."""

import datetime as dt

from cordon.quarantine import selectors
from cordon.surveillance import services as surveillance_services


def forecast_refresh(*, actor, on: dt.date | None = None, **options) -> int:
    """Recompute Rt and the forecasts per district (surveillance.services.rt_refresh, same `options`), the rooms
    bounded by the residents minus cases minus the people in or expected at a site, counted here."""
    return surveillance_services.rt_refresh(actor=actor, on=on, in_sites=selectors.people_in_sites(), **options)
