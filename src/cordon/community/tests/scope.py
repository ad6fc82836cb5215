import datetime as dt
import itertools

from cordon.core.ids import make_id_number
from cordon.core.testing import Route, ScopedEndpoint, list_routes


def _homes(c):
    from cordon.zones.tests.conftest import estate

    return estate(c.a_grid, compound=f"小区{id(object())}", buildings=1, units=1, per_unit=1)


ENDPOINTS = [
    ScopedEndpoint("community.doorchecks", make=_homes, url=lambda h: "/api/v1/community/doorchecks", method="post", write=True,
                   payload=lambda h: {"items": [{"household_id": h.households[0].pk, "symptoms": False}]}),
    ScopedEndpoint("community.grid", make=lambda c: c.a_grid, url=lambda g: f"/api/v1/community/grids/{g.pk}"),
    ScopedEndpoint("community.grid.page", make=lambda c: c.a_grid, url=lambda g: f"/community/grids/{g.pk}/", api=False),
    ScopedEndpoint("community.pass", make=_homes, url=lambda h: "/api/v1/community/passes", method="post", write=True,
                   payload=lambda h: {"community_id": h.buildings[0].community_id, "compound": h.buildings[0].compound,
                                      "holder_name": "王快递", "holder_phone": "13900000000", "role": "delivery"}),
]


ROUTES = [
    *list_routes("community", api=("doorchecks", "passes", "progress"), web=("", "checks/", "entrance/", "villages/")),
]


def _grid_with_home(c):
    """District A's grid, with a fresh household in it to check."""
    from cordon.regions.models import Region

    grid = Region.objects.get(pk=c.a_grid.pk)
    grid.household = _homes(c).households[0]
    return grid


def _village(c):
    c.a_community.is_rural = True
    c.a_community.save(update_fields=["is_rural"])
    return c.a_community


def _passage(c):
    homes = _homes(c)
    b = homes.buildings[0]
    return {"community_id": b.community_id, "compound": b.compound, "direction": "in", "person_id": homes.people[0].pk}


_seq = itertools.count(500)


def _returnee(c):
    # a returnee who is not a registered resident, with a fresh valid ID number per call
    id_number = make_id_number("990101", dt.date(1990, 1, 1), next(_seq), "M")
    return {"village_id": _village(c).pk, "name": "李返乡", "id_number": id_number, "phone": "13700000000",
            "from_place": "某市某区"}


ENDPOINTS += [
    ScopedEndpoint("community.web.grid.check", make=_grid_with_home, url=lambda g: f"/community/grids/{g.pk}/check/", method="post",
                   write=True, api=False, ok_status=(302,), content_type="application/x-www-form-urlencoded",
                   payload=lambda g: f"household_id={g.household.pk}&answered=on&all_present=on"),
]

# Entrance and village writes name a community of district A in the body: district B gets what an unknown community
# gets (404), and so does the grid worker, whose area is one grid below the community; a viewer may not write (403).
ROUTES += [
    Route("community.api.passages", "/api/v1/community/passages", method="post", kind="create", payload=_passage,
          expect={"commander": 201, "officer_a": 201, "officer_b": 404, "field_a": 404}),
    Route("community.api.returnees", "/api/v1/community/returnees", method="post", kind="create", payload=_returnee,
          expect={"commander": 201, "officer_a": 201, "officer_b": 404, "field_a": 404}),
]

ROUTES += list_routes("community", api=("overrides",))


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = []


_GATE_CODES = itertools.count(1)


def _gate_pass(c):
    """A compound of district A with a fresh entrance pass, logged through the gate's offline queue."""
    from cordon.community.models import EntrancePass

    homes = _homes(c)
    b = homes.buildings[0]
    homes.entrance_pass = EntrancePass.objects.create(
        community_id=b.community_id, region_path=b.community.path, compound=b.compound, holder_name="王快递", holder_phone="13900000000", role="delivery", code=f"GATE{next(_GATE_CODES):08d}",
        valid_from=dt.date(2000, 1, 1), valid_until=dt.date(2100, 1, 1))
    return homes


# The gate phone page, the passes' print page and the gate's offline queue (bulk, idempotent).
ENDPOINTS += [
    ScopedEndpoint("community.passages.bulk", make=_gate_pass, url=lambda h: "/api/v1/community/passages/bulk", method="post",
                   write=True, payload=lambda h: {"items": [{"community_id": h.buildings[0].community_id, "compound": h.buildings[0].compound,
                                                             "direction": "in", "pass_code": h.entrance_pass.code}]}),
]
ROUTES += list_routes("community", web=("gate/", "passes/print/"))
ROUTES += [
    Route("community.web.public.sw", "/community/sw.js", kind="public", api=False),
]
