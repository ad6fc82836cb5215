from django.urls import path

from cordon.core import tabular
from cordon.keyworkers import services, views

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("import/", views.import_page, name="import"),
    path("import/template/", tabular.template_view("keyworkers", services.IMPORT_TEMPLATE), name="import_template"),
    path("due/", views.due, name="due"),
    path("passes/", views.passes, name="passes"),
    path("passes/<int:pk>/", views.pass_detail, name="pass"),
    path("passes/print/", views.passes_print, name="passes_print"),
    path("flows/", views.flows, name="flows"),
]
