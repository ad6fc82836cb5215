from django.urls import path

from cordon.spacetime import views

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("people/<int:person_id>/", views.person, name="person"),
]
