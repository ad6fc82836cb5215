"""The API root: /api/v1, token or session auth, OpenAPI at /api/v1/docs, one error shape.

Every app with an `api` module exposing `router` is mounted at /api/v1/<app>/.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from cordon.api.auth import AUTH
from cordon.core.errors import ServiceError
from cordon.core.idempotency import IdempotencyConflict
from cordon.core.middleware import current_request_id
from cordon.core.registry import app_submodules

logger = logging.getLogger("cordon.api")


class OfflineSwagger(Swagger):
    """Swagger UI from our own static files (web/static/vendor/swagger-ui): no CDN, which our CSP blocks and the
    intranets cordon runs in cannot reach."""

    template = "api/swagger.html"

    def render_page(self, request, api, **kwargs):
        import json

        from ninja.openapi.docs import _csrf_needed

        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"swagger_settings": json.dumps(settings), "api": api,
                                               "add_csrf": _csrf_needed(api)})


api = NinjaAPI(title="cordon", version="1", description="City epidemic prevention and control command platform",
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
                 f"Idempotency-Key {exc} was used before with a different request body", [{"field": "Idempotency-Key", "message": "reused with another body"}])


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


for _label, _module in app_submodules("api"):
    _router = getattr(_module, "router", None)
    if _router is not None:
        api.add_router(f"/{getattr(_module, 'MOUNT', _label)}/", _router)  # reports names MOUNT = "command"
