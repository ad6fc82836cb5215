from django.urls import path

from cordon.venues import labels, views

urlpatterns = [
    path("", views.index, name="index"),
    path("print/", labels.venues_print, name="print"),
    path("closures/", views.closures, name="closures"),
    path("closures/new/", views.closure_new, name="closure_new"),
    path("closures/<int:pk>/", views.closure, name="closure"),
]
