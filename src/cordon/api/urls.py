from django.urls import path

from cordon.api.root import api

urlpatterns = [path("", api.urls)]
