from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from cordon.core.registry import app_submodules

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("cordon.api.urls")),
]
# Each app that has a urls module is mounted under its own label (cordon.quarantine -> /quarantine/), or under the
# MOUNT its urls module names (reports' dashboard and daily reports stay at /command/, in namespace "reports").
for app, module in app_submodules("urls"):
    if app in ("api", "web"):
        continue
    mount = getattr(module, "MOUNT", app)
    urlpatterns.append(path(f"{mount}/", include((module.urlpatterns, app), namespace=app)))
urlpatterns.append(path("", include(("cordon.web.urls", "web"), namespace="web")))
if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
