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
    Route("people.page.import.template", "/people/import/template/", api=False),  # an empty template, no data
]


def _move(c):
    """District B has asked for a district A resident to move in; district A decides."""
    from cordon.core.testing import SYSTEM
    from cordon.people import services

    p = PersonFactory(grid=c.a_grid)
    return services.move_request(actor=SYSTEM, id_number=p.id_number, name=p.name, grid_id=c.b_grid.pk, address="乙区新居 1号")


def _move_in(c) -> dict:
    """A move-in into district A's grid for a new resident of district B (who files it decides nothing)."""
    p = PersonFactory(grid=c.b_grid)
    return {"id_number": p.id_number, "name": p.name, "grid_id": c.a_grid.pk, "address": "甲区新居 2号"}


_FORM = "application/x-www-form-urlencoded"

ENDPOINTS += [
    ScopedEndpoint("people.move.accept", make=_move, url=lambda m: f"/api/v1/people/moves/{m.pk}/accept", method="post",
                   write=True, payload=lambda m: {"note": "同意"}),
    ScopedEndpoint("people.move.reject", make=_move, url=lambda m: f"/api/v1/people/moves/{m.pk}/reject", method="post",
                   write=True, payload=lambda m: {"note": "不同意"}),
    ScopedEndpoint("people.page.move.decide", make=_move, url=lambda m: f"/people/moves/{m.pk}/decide/", method="post",
                   write=True, api=False, ok_status=(302,), content_type=_FORM, payload=lambda m: "decision=accept"),
]

ROUTES += [
    Route("people.moves", "/api/v1/people/moves"),
    # a move-in into A's grid: district B may not file for A's grids (the grid is unknown to it: 400 naming grid_id)
    Route("people.moves.request", "/api/v1/people/moves", method="post", kind="create", payload=_move_in,
          expect={**_GRID_WORKER, "officer_b": 400}),
    Route("people.page.moves", "/people/moves/", api=False),
]
