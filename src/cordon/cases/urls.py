from django.urls import path

from cordon.cases import views

urlpatterns = [
    path("", views.index, name="index"),
    path("report/", views.report, name="report"),
    path("clusters/", views.cluster_list, name="clusters"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/investigation/", views.investigation, name="investigation"),
    path("<int:pk>/questionnaire/", views.questionnaire, name="questionnaire"),
    path("<int:pk>/stays/", views.stay_add, name="stay_add"),
    path("<int:pk>/stays/<int:stay_id>/delete/", views.stay_delete, name="stay_delete"),
    path("<int:pk>/named/", views.named_add, name="named_add"),
    path("<int:pk>/advance/", views.advance, name="advance"),
    # <int:pk>/identify/ (name "identify"): contacts' work on the case, added by contacts.urls
    path("<int:pk>/infector/", views.link_infector, name="infector"),
    path("<int:pk>/cluster/", views.cluster, name="cluster"),
]
