from django.urls import path

from cordon.contacts import views

urlpatterns = [
    path("", views.index, name="index"),
    path("decide/", views.decide, name="decide"),
    path("add/", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/release/", views.release, name="release"),
]
