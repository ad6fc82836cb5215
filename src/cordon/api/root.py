"""The API root: /api/v1, token or session auth, OpenAPI at /api/v1/docs, one error shape.

Every app's `api` router is mounted at /api/v1/<app>/ (listed in ROUTERS, in the order of settings.CORDON_APPS);
reports' at /api/v1/command/ (reports.api.MOUNT), beside command's.
"""

import json
import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import _csrf_needed

from cordon.accounts import api as accounts_api
from cordon.api import openapi
from cordon.api import suggest as suggest_api
from cordon.api.auth import AUTH
from cordon.assist import api as assist_api
from cordon.bulletins import api as bulletins_api
from cordon.cases import api as cases_api
from cordon.checkpoints import api as checkpoints_api
from cordon.command import api as command_api
from cordon.community import api as community_api
from cordon.contacts import api as contacts_api
from cordon.core.errors import ServiceError
from cordon.core.idempotency import IdempotencyConflict
from cordon.core.middleware import current_request_id
from cordon.documents import api as documents_api
from cordon.gatherings import api as gatherings_api
from cordon.keyworkers import api as keyworkers_api
from cordon.livelihood import api as livelihood_api
from cordon.outbox import api as outbox_api
from cordon.people import api as people_api
from cordon.quarantine import api as quarantine_api
from cordon.questionnaires import api as questionnaires_api
from cordon.regions import api as regions_api
from cordon.reports import api as reports_api
from cordon.screening import api as screening_api
from cordon.selfreport import api as selfreport_api
from cordon.sim import api as sim_api
from cordon.spacetime import api as spacetime_api
from cordon.status import api as status_api
from cordon.supplies import api as supplies_api
from cordon.surveillance import api as surveillance_api
from cordon.venues import api as venues_api
from cordon.workforce import api as workforce_api
from cordon.zones import api as zones_api

logger = logging.getLogger("cordon.api")


class OfflineSwagger(Swagger):
    """Swagger UI from our own static files (web/static/vendor/swagger-ui): no CDN, which our CSP blocks and the
    intranets cordon runs in cannot reach."""

    template = "api/swagger.html"

    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"swagger_settings": json.dumps(settings), "api": api,
                                               "add_csrf": _csrf_needed(api)})


class CordonAPI(NinjaAPI):
    """The API whose published schema also declares the one error shape on every operation (api.openapi)."""

    def get_openapi_schema(self, *args, **kwargs):
        return openapi.add_error_responses(super().get_openapi_schema(*args, **kwargs))


api = CordonAPI(title="cordon", version="1", description="City epidemic prevention and control command platform",
               auth=AUTH, urls_namespace="api", docs_url="/docs", docs=OfflineSwagger())


def error(request, status: int, code: str, message: str, fields=None):
    return api.create_response(request, {"error": {"code": code, "message": message, "fields": fields or []}}, status=status)


@api.exception_handler(ServiceError)
def _service_error(request, exc: ServiceError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    fields = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        item = {"field": ".".join(loc), "message": err.get("msg", "invalid")}
        numeric = [p for p in err.get("loc", []) if isinstance(p, int)]
        if numeric:
            item["row"] = numeric[0] + 1
        fields.append(item)
    message = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5]) or "invalid input"
    return error(request, 422, "validation_error", message, fields)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error(request, 404, "not_found", "not found")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return error(request, 403, "forbidden", f"not permitted: {exc}" if str(exc) else "not permitted")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error(request, 401, "unauthenticated", "authentication required")


@api.exception_handler(IdempotencyConflict)
def _idem_conflict(request, exc):
    return error(request, 409, "idempotency_conflict",
                 _("Idempotency-Key %(key)s was used before with a different request body") % {"key": exc},
                 [{"field": "Idempotency-Key", "message": _("reused with another body")}])


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return error(request, exc.status_code, "error", str(exc))


@api.exception_handler(Exception)
def _unexpected(request, exc: Exception):
    """Anything unhandled: logged with its request id (also in the X-Request-ID header), answered in the one shape."""
    rid = getattr(request, "request_id", None) or current_request_id() or ""
    logger.exception("unhandled error in %s %s [request %s]", request.method, request.path, rid)
    return error(request, 500, "server_error", f"internal error; quote request id {rid}" if rid else "internal error",
                 [{"field": "request_id", "message": rid}] if rid else [])


def not_found_view(request, rest=""):
    """Any path under /api/v1/ that no operation has: a 404 in the one error shape, not an HTML page."""
    return error(request, 404, "not_found", f"no such API path: {request.path}")


@api.get("/ping", auth=None, include_in_schema=False)
def ping(request):
    return {"ok": True}


# (mount, router) in the order of settings.CORDON_APPS; tests/architecture checks no app's api module is left out.
ROUTERS = [
    ("accounts", accounts_api.router),
    ("outbox", outbox_api.router),
    ("regions", regions_api.router),
    ("people", people_api.router),
    ("questionnaires", questionnaires_api.router),
    ("venues", venues_api.router),
    ("spacetime", spacetime_api.router),
    ("cases", cases_api.router),
    ("contacts", contacts_api.router),
    ("status", status_api.router),
    ("surveillance", surveillance_api.router),
    ("quarantine", quarantine_api.router),
    ("zones", zones_api.router),
    ("keyworkers", keyworkers_api.router),
    ("community", community_api.router),
    ("checkpoints", checkpoints_api.router),
    ("gatherings", gatherings_api.router),
    ("supplies", supplies_api.router),
    ("workforce", workforce_api.router),
    ("screening", screening_api.router),
    ("livelihood", livelihood_api.router),
    ("selfreport", selfreport_api.router),
    ("assist", assist_api.router),
    ("command", command_api.router),
    (reports_api.MOUNT, reports_api.router),
    ("bulletins", bulletins_api.router),
    ("documents", documents_api.router),
    ("sim", sim_api.router),
]
for _mount, _router in ROUTERS:
    api.add_router(f"/{_mount}/", _router)
# The shared search (core.autocomplete) is no app's: its operation lives with the API (as /suggest/ with the web).
api.add_router("/suggest/", suggest_api.router)
