"""Command API, the duty roster: my work, who is on duty now in a region, who answers for a named object (person,
deputy and how they were found), a shift on the roster, and taking an officer out with the hand-over in one step.
Mounted on command's router (command.api), so under /api/v1/command/..."""

import datetime as dt

from ninja import Field, Router, Schema, Status

from cordon.command import duty_selectors, services
from cordon.command.services.roster import person_ref
from cordon.core.apikit import Id, actor

router = Router(tags=["command"])


class CommandPersonRef(Schema):
    id: int
    name: str


class CommandResponsibleOut(Schema):
    responsible: CommandPersonRef | None = Field(description="who answers for the object now")
    deputy: CommandPersonRef | None
    via: str = Field(description="responsibility | deputy | shift | shift_deputy | post | escalated | nobody")
    path: list[dict] = Field(description="the steps skipped on the way: off duty, vacant post, found")


class CommandMyTaskOut(Schema):
    id: int
    title: str
    kind: str
    region_path: str
    deadline: dt.datetime
    priority: int
    status: str
    escalation_level: int
    deputy: CommandPersonRef | None
    url: str


class CommandMyResponsibilityOut(Schema):
    id: int
    object_type: str
    object_id: str
    region_path: str
    label: str
    responsible: CommandPersonRef
    deputy: CommandPersonRef | None


class CommandMyWorkOut(Schema):
    user: CommandPersonRef
    off_duty: str | None = Field(description="why the officer is off duty now, or null")
    responsible: list[CommandMyResponsibilityOut]
    deputy: list[CommandMyResponsibilityOut]
    late: list[CommandMyTaskOut]
    due: list[CommandMyTaskOut] = Field(description="open, due within 24 hours")
    later: list[CommandMyTaskOut]
    escalated: list[CommandMyTaskOut] = Field(description="open tasks that reached me by escalation")
    deputy_tasks: list[CommandMyTaskOut]
    handed_to_me: list[int] = Field(description="ids of hand-overs in the last 14 days that gave me work")


class CommandOnDutyOut(Schema):
    region_path: str
    role: str
    role_label: str
    holders: list[CommandPersonRef]
    on_shift: CommandPersonRef | None
    on_duty: CommandPersonRef | None
    deputy: CommandPersonRef | None
    via: str


class CommandShiftIn(Schema):
    region_path: str = Field(max_length=100)
    role: str = Field(max_length=40)
    user_id: Id
    deputy_id: Id | None = None
    start: dt.datetime
    end: dt.datetime
    note: str = Field("", max_length=200)


class CommandShiftOut(Schema):
    id: int
    region_path: str
    role: str
    user: CommandPersonRef
    deputy: CommandPersonRef | None
    start: dt.datetime
    end: dt.datetime


class CommandTakeOutIn(Schema):
    reason: str = Field(max_length=20, description="unavailable | leave | sick | contact | sealed_zone | measures")
    successor_id: Id | None = Field(None, description="one person taking over everything; empty: each item's deputy")
    until: dt.datetime | None = None
    note: str = Field("", max_length=300)


class CommandHandOverItemOut(Schema):
    kind: str
    id: int
    label: str
    to: int | None
    role: str = Field(alias="as")


class CommandHandOverOut(Schema):
    id: int
    from_user: CommandPersonRef
    to_user: CommandPersonRef | None
    reason: str
    at: dt.datetime
    items: list[CommandHandOverItemOut]


def _task(t) -> dict:
    return {"id": t.pk, "title": t.title, "kind": t.kind, "region_path": t.region_path, "deadline": t.deadline, "priority": t.priority,
            "status": t.status, "escalation_level": t.escalation_level, "deputy": person_ref(t.deputy), "url": f"/command/tasks/{t.pk}/"}


def _resp(r) -> dict:
    return {"id": r.pk, "object_type": r.object_type, "object_id": r.object_id, "region_path": r.region_path, "label": r.label,
            "responsible": person_ref(r.responsible), "deputy": person_ref(r.deputy)}


@router.get("/my-work", response=CommandMyWorkOut)
def my_work(request):
    """What I answer for, what is due, what is late, escalations that reached me (我的工作)."""
    w = duty_selectors.my_work(actor=actor(request))
    return {"user": person_ref(w["user"]), "off_duty": w["off_duty"].reason if w["off_duty"] else None,
            "responsible": [_resp(r) for r in w["responsible"]], "deputy": [_resp(r) for r in w["deputy"]],
            **{k: [_task(t) for t in w[k]] for k in ("late", "due", "later", "escalated", "deputy_tasks")},
            "handed_to_me": [h.pk for h in w["handed_to_me"]]}


@router.get("/on-duty", response=list[CommandOnDutyOut])
def on_duty(request, region: str | None = None):
    """Who is on duty now at a region (default: yours) and the regions right below it."""
    rows = duty_selectors.on_duty(actor=actor(request), region_path=region)["rows"]
    return [{"region_path": r["path"], "role": r["role"], "role_label": r["role_label"],
             "holders": [person_ref(h["user"]) for h in r["holders"]], "on_shift": person_ref(r["shift"]["user"]) if r["shift"] else None,
             "on_duty": person_ref(r["person"]), "deputy": person_ref(r["deputy"]), "via": r["via"]} for r in rows]


@router.get("/responsible", response=CommandResponsibleOut)
def responsible(request, object_type: str, region_path: str, object_id: str = ""):
    """Who answers for a zone, site, checkpoint, testing site or round, grid, closure, gathering, loan or task now."""
    return duty_selectors.responsible(actor=actor(request), object_type=object_type, object_id=object_id, region_path=region_path)


@router.post("/shifts", response={201: CommandShiftOut})
def add_shift(request, payload: CommandShiftIn):
    """Put a person on the roster for a post (role at a region) from start to end."""
    s = services.shift_add(actor=actor(request), **payload.dict())
    return Status(201, {"id": s.pk, "region_path": s.region_path, "role": s.role, "user": person_ref(s.user),
                        "deputy": person_ref(s.deputy), "start": s.start, "end": s.end})


@router.post("/users/{int:user_id}/take-out", response={201: CommandHandOverOut})
def take_out(request, user_id: Id, payload: CommandTakeOutIn):
    """Take an officer out (不在岗) and hand everything they answer for to the deputies or one successor, in one step."""
    h = services.officer_take_out(actor=actor(request), user_id=user_id, **payload.dict())
    return Status(201, {"id": h.pk, "from_user": person_ref(h.from_user), "to_user": person_ref(h.to_user), "reason": h.reason,
                        "at": h.at, "items": h.items})



def responsible_of(object_type: str, obj) -> dict:
    """For an app's detail payload: who answers for `obj` now (CommandResponsibleOut), from the duty roster."""
    return services.responsible_for(object_type=object_type, object_id=obj.pk, region_path=obj.region_path).as_dict()
