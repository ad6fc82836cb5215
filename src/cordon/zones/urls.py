from django.urls import path

from cordon.zones import views

urlpatterns = [
    path("", views.index, name="index"),
    path("public/", views.public, name="public"),
    path("national/", views.national, name="national"),
    path("new/", views.new, name="new"),
    path("candidates/", views.candidates, name="candidates"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<str:verb>/", views.act, name="act"),
    path("<int:pk>/households/", views.households, name="households"),
    path("<int:pk>/workers/", views.assign_workers, name="workers"),
]
