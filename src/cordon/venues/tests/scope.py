from cordon.core.testing import ScopedEndpoint
from cordon.venues.factories import VenueFactory

ENDPOINTS = [
    ScopedEndpoint("api venue detail", make=lambda c: VenueFactory(region=c.a_community), url=lambda v: f"/api/v1/venues/{v.pk}"),
]
