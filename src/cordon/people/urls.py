"""The people app's own routes (the register's pages are in cordon.web); mounted at /people/."""

from django.urls import path

from cordon.core import tabular
from cordon.people import services

urlpatterns = [
    path("import/template/", tabular.template_view("people", services.IMPORT_TEMPLATE), name="import_template"),
]
