from django.urls import path

from cordon.core import tabular
from cordon.spacetime import services, views

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("upload/template/", tabular.template_view("spacetime", services.TEMPLATE), name="upload_template"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("people/<int:person_id>/", views.person, name="person"),
]
