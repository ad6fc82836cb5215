from django.urls import path

from cordon.checkpoints import views

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/scan/", views.scan, name="scan"),
    path("inspections/", views.inspections, name="inspections"),
    path("passes/", views.passes, name="passes"),
    path("passes/print/", views.passes_print, name="passes_print"),
    path("sw.js", views.service_worker, name="sw"),
    path("code/", views.code_lookup, name="code_lookup"),
    path("code/<str:token>/", views.code, name="code"),
]
