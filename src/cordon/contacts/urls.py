from django.urls import path

from cordon.cases import urls as case_urls
from cordon.contacts import views

urlpatterns = [
    path("", views.index, name="index"),
    path("decide/", views.decide, name="decide"),
    path("add/", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/release/", views.release, name="release"),
]

# Contacts' work on one case keeps its place under the case: /cases/<pk>/identify/, URL name cases:identify.
case_urls.urlpatterns.append(path("<int:pk>/identify/", views.case_identify, name="identify"))
