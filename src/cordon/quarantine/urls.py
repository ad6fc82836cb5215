from django.urls import path

from cordon.quarantine import views

urlpatterns = [
    path("", views.index, name="index"),
    path("reserves/", views.reserves, name="reserves"),
    path("forecast/", views.forecast, name="forecast"),
    path("sites/", views.sites, name="sites"),
    path("sites/<int:pk>/", views.site, name="site"),
    path("queue/", views.queue, name="queue"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("stays/", views.stays, name="stays"),
    path("stays/<int:pk>/", views.stay, name="stay"),
    path("home/", views.home_stays, name="home"),
    path("tests/", views.tests_due, name="tests"),
    path("transfers/", views.transfers, name="transfers"),
    path("sweep/", views.sweep, name="sweep"),
    path("m/<str:token>/", views.monitor, name="monitor"),
]
