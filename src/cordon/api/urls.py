import functools

from django.http import HttpResponseNotAllowed
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from cordon.api.root import api, error, not_found_view


def _json_405(view):
    """Ninja answers a method the path has not with a plain-text 405; answer it in the one error shape."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error(request, 405, "method_not_allowed", f"{request.method} is not allowed here (allowed: {allowed})")
            response["Allow"] = allowed
        return response

    return wrapped


_patterns, _app_name, _namespace = api.urls
for _pattern in _patterns:
    # Ninja's api-root (/api/v1/) is Django's HTML 404; the JSON one instead.
    _pattern.callback = csrf_exempt(not_found_view) if _pattern.name == "api-root" else _json_405(_pattern.callback)

urlpatterns = [
    path("", (_patterns, _app_name, _namespace)),
    # Last: any other path under /api/v1/ is a JSON 404.
    re_path(r"^(?P<rest>.*)$", csrf_exempt(not_found_view), name="api-not-found"),
]
