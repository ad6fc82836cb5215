"""API tokens, self-service: a signed-in user lists, issues and revokes their own (the key is shown once)."""

import datetime as dt
from typing import Annotated

from ninja import Field, Router, Schema, Status

from cordon.accounts import services
from cordon.core.apikit import Id, actor

router = Router(tags=["accounts"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked: bool


class TokenIssueIn(Schema):
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"\S")] = "api"


class TokenIssuedOut(TokenOut):
    key: str = Field(description="The bearer token. Shown once: only its SHA-256 is stored.")


@router.get("/tokens", response=list[TokenOut])
def token_list(request):
    """Your API tokens, newest first (prefix only)."""
    me = actor(request)
    return services.token_list(actor=me, user=me)


@router.post("/tokens", response={201: TokenIssuedOut})
def token_issue(request, body: TokenIssueIn):
    """Issue a token for yourself; use it as `Authorization: Bearer <key>`."""
    me = actor(request)
    key = services.token_issue(actor=me, user=me, name=body.name.strip())
    token = services.token_list(actor=me, user=me)[0]
    return Status(201, {**TokenOut.from_orm(token).dict(), "key": key})


@router.post("/tokens/{pk}/revoke", response=TokenOut)
def token_revoke(request, pk: Id):
    """Revoke one of your tokens: calls with it answer 401 from now on."""
    me = actor(request)
    return services.token_revoke(actor=me, token_id=pk)
