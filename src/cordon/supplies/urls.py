from django.urls import path

from cordon.supplies import views

urlpatterns = [
    path("", views.index, name="index"),
    path("ledger/", views.ledger, name="ledger"),
    path("transfers/", views.transfers, name="transfers"),
]
