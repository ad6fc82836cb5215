from django.urls import path

from cordon.workforce import views

urlpatterns = [
    path("", views.index, name="index"),
    path("workers/", views.workers, name="workers"),
    path("missions/<int:pk>/", views.mission, name="mission"),
]
