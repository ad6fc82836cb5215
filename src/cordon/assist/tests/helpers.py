"""Calls as a partner city makes them: signed with the shared secret (docs/ASSIST.md)."""

import datetime as dt
import json

from cordon.assist import exchange
from cordon.core import clock


def signed(client, partner, method: str, path: str, payload=None, *, secret: str | None = None, now=None):
    body = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else b""
    if secret is not None:
        partner = type(partner)(region_code=partner.region_code, secret=secret)
    headers = exchange.signed_headers(partner, own_code=partner.region_code, method=method, path=path, body=body, now=now)
    if method == "POST":
        return client.post(path, data=body, content_type="application/json", headers=headers)
    return client.get(path, headers=headers)


def request_body(ref: str = "HZ-2022-0001", *, id_number: str = "", residence_code: str = "", kind: str = "close_contact") -> dict:
    return {"ref": ref, "from_code": "330100",
            "person": {"name": "李四", "id_number": id_number, "phone": "13912345678", "address": "幸福小区 3号楼 502",
                       "residence_code": residence_code},
            "exposure": {"case_ref": "杭州病例17", "contact_kind": kind,
                         "last_exposure": (clock.now() - dt.timedelta(hours=20)).isoformat(), "place": "某火锅店"},
            "action": "verify"}
