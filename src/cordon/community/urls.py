from django.urls import path

from cordon.community import views

urlpatterns = [
    path("", views.index, name="index"),
    path("grids/<int:pk>/", views.grid, name="grid"),
    path("grids/<int:pk>/check/", views.check, name="check"),
    path("checks/", views.checks, name="checks"),
    path("entrance/", views.entrance, name="entrance"),
    path("gate/", views.gate, name="gate"),
    path("sw.js", views.service_worker, name="sw"),
    path("passes/print/", views.passes_print, name="passes_print"),
    path("villages/", views.villages, name="villages"),
]
