from django.urls import path

from cordon.surveillance import views

urlpatterns = [
    path("", views.index, name="index"),
    path("signals/<int:pk>/triage/", views.triage, name="triage"),
    path("refresh/", views.refresh, name="refresh"),
    path("upload/", views.upload, name="upload"),
]
