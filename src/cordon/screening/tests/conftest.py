import pytest

from cordon.screening.factories import make_round, make_site


@pytest.fixture
def setup(city, cast):
    """A published round over district A with one site covering two grids: (round, site)."""
    rnd = make_round(region=city.a)
    site = make_site(rnd=rnd, community=city.a_community, grids=[city.a_grid, city.a_grid2])
    return rnd, site
