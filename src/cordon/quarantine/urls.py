from django.urls import path

from cordon.core import tabular
from cordon.quarantine import labels, views
from cordon.quarantine.services.monitoring import TEST_TEMPLATE
from cordon.quarantine.services.sites import ROOM_TEMPLATE

urlpatterns = [
    path("", views.index, name="index"),
    path("reserves/", views.reserves, name="reserves"),
    path("forecast/", views.forecast, name="forecast"),
    path("sites/", views.sites, name="sites"),
    path("sites/<int:pk>/", views.site, name="site"),
    path("sites/<int:pk>/rooms/print/", labels.rooms_print, name="rooms_print"),
    path("sites/rooms-template/", tabular.template_view("quarantine-rooms", ROOM_TEMPLATE), name="rooms_template"),
    path("queue/", views.queue, name="queue"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("stays/", views.stays, name="stays"),
    path("stays/<int:pk>/", views.stay, name="stay"),
    path("home/", views.home_stays, name="home"),
    path("tests/", views.tests_due, name="tests"),
    path("tests/template/", tabular.template_view("quarantine-tests", TEST_TEMPLATE), name="tests_template"),
    path("transfers/", views.transfers, name="transfers"),
    path("sweep/", views.sweep, name="sweep"),
    path("m/<str:token>/", views.monitor, name="monitor"),
]
