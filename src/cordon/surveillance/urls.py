from django.urls import path

from cordon.core import tabular
from cordon.surveillance import services, views

urlpatterns = [
    path("", views.index, name="index"),
    path("signals/<int:pk>/triage/", views.triage, name="triage"),
    path("refresh/", views.refresh, name="refresh"),
    path("upload/", views.upload, name="upload"),
    path("upload/template/", tabular.template_view("surveillance", services.IMPORT_TEMPLATE), name="upload_template"),
]
