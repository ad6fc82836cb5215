"""The regions app's own routes (the region list is in cordon.web); mounted at /regions/."""

from django.urls import path

from cordon.core import tabular
from cordon.regions import services, views

urlpatterns = [
    path("import/", views.import_codes, name="import"),
    path("import/template/", tabular.template_view("regions", services.TEMPLATE), name="import_template"),
]
