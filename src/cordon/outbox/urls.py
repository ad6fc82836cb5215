from django.urls import path

from cordon.outbox import views

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("channels/", views.channels, name="channels"),
    path("channels/<slug:code>/", views.channel, name="channel"),
]
