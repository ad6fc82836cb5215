from django.urls import path

from cordon.status import views

urlpatterns = [
    path("", views.index, name="index"),
    path("people/<int:person_id>/", views.person, name="person"),
]
