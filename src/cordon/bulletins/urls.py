from django.urls import path

from cordon.bulletins import views

urlpatterns = [
    path("", views.index, name="index"),
    path("portal/", views.portal, name="portal"),
    path("portal/<int:pk>/", views.portal_bulletin, name="portal_bulletin"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:action>/", views.action, name="action"),
]
