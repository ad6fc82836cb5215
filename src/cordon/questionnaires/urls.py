from django.urls import path

from cordon.questionnaires import views

urlpatterns = [
    path("", views.index, name="index"),
    path("answer/<str:subject_type>/<int:subject_id>/", views.answer, name="answer"),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/v<int:number>/", views.version, name="version"),
    path("<slug:code>/v<int:number>/diff/", views.diff, name="diff"),
    path("<slug:code>/v<int:number>/export/", views.export, name="export"),
]
