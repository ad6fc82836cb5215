import io

from django.test.client import MULTIPART_CONTENT

from cordon.core.testing import Route, ScopedEndpoint
from cordon.people.factories import PersonFactory

ENDPOINTS = [
    ScopedEndpoint("api person detail", make=lambda c: PersonFactory(grid=c.a_grid), url=lambda p: f"/api/v1/people/{p.pk}"),
    ScopedEndpoint("web person page", make=lambda c: PersonFactory(grid=c.a_grid), url=lambda p: f"/people/{p.pk}/", api=False),
    ScopedEndpoint("admin person change", make=lambda c: PersonFactory(grid=c.a_grid),
                   url=lambda p: f"/admin/people/person/{p.pk}/change/", api=False, extra={"admin": True}),
]


def _import_file(c) -> dict:
    """One resident of A's grid (re-importing it is harmless)."""
    f = io.BytesIO(("name,id_number,phone,grid_code,address\n"
                    f"李雷,11010519491231002X,13800000001,{c.a_grid.code},幸福小区 1号楼 1单元 101\n").encode())
    f.name = "people.csv"
    return {"file": f}


# the grid worker keeps residents of their grid (people.change, people.export)
_GRID_WORKER = {"field_a": (200, 201, 302)}

ROUTES = [
    Route("people.list", "/api/v1/people/"),
    Route("people.export", "/api/v1/people/export", expect={"viewer_a": 403}),
    # officer B imports a row into A's grid: a row error ("outside your area"), nothing written
    Route("people.import", "/api/v1/people/import", method="post", kind="create", payload=_import_file,
          content_type=MULTIPART_CONTENT, expect={**_GRID_WORKER, "officer_b": 400}),
    Route("people.page", "/people/", api=False),
    Route("people.page.import", "/people/import/", kind="create", api=False, expect=_GRID_WORKER),
]
