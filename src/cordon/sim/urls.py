from django.urls import path

from cordon.sim import views

app_name = "sim"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<slug:run_id>/", views.detail, name="detail"),
    path("runs/<slug:run_id>/charts/<str:name>", views.chart, name="chart"),
]
