"""Request id: carried into audit entries and logs, echoed in the X-Request-ID header."""

import contextvars
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("cordon_request_id", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        rid = rid[:64]
        request.request_id = rid
        token = _request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


def too_large_response(request):
    """413 naming the limit: the API's one error shape under /api/, a small page elsewhere."""
    limit = settings.CORDON_MAX_UPLOAD_MB
    message = f"The request is larger than the limit of {limit} MB (CORDON_MAX_UPLOAD_MB)."
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "too_large", "message": message, "fields": []}}, status=413)
    return render(request, "core/too_large.html", {"limit": limit, "message": message}, status=413)


class RequestSizeLimitMiddleware:
    """Refuses a request whose body is over CORDON_MAX_UPLOAD_MB before anything reads it (413), and turns
    Django's RequestDataTooBig (DATA_UPLOAD_MAX_MEMORY_SIZE) raised later into the same answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.CORDON_MAX_UPLOAD_MB * 1024 * 1024:
            return too_large_response(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return too_large_response(request)
        return None


_NUL_MARKERS = (b"\x00", b"\\u0000", b"%00")


class NulCharacterMiddleware:
    """Refuses text input holding a NUL character (400, naming the problem): PostgreSQL cannot store one, so it
    would otherwise surface as a server error deep in a write. Query strings, JSON and form bodies are checked;
    file uploads (multipart, where binary content is normal) are not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        suspect = "%00" in request.META.get("QUERY_STRING", "")
        if not suspect and request.method in ("POST", "PUT", "PATCH") and not content_type.startswith("multipart/"):
            body = request.body  # bounded by RequestSizeLimitMiddleware, which runs first
            suspect = any(marker in body for marker in _NUL_MARKERS)
        if not suspect:
            return self.get_response(request)
        message = "Text may not contain a NUL character (\\u0000)."
        if request.path.startswith("/api/"):
            return JsonResponse({"error": {"code": "invalid_text", "message": message, "fields": []}}, status=400)
        return HttpResponseBadRequest(message)
