from django.urls import path

from cordon.selfreport import views

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("r/<str:token>/", views.public, name="public"),
]
