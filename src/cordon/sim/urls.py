from django.urls import path

from cordon.sim import views

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<slug:run_id>/", views.detail, name="detail"),
    path("runs/<slug:run_id>/charts/<str:name>", views.chart, name="chart"),
    path("drills/", views.drills_page, name="drills"),
    path("drills/<slug:run_id>/", views.drill, name="drill"),
    path("drills/<slug:run_id>/progress/", views.drill_progress, name="drill_progress"),
    path("drills/<slug:run_id>/cancel/", views.drill_cancel, name="drill_cancel"),
]
