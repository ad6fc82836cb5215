from django.urls import path

from cordon.core import tabular
from cordon.screening import labels, views
from cordon.screening.services.results import RESULT_TEMPLATE

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/publish/", views.round_publish, name="publish"),
    path("rounds/<int:pk>/close/", views.round_close, name="close"),
    path("sites/<int:pk>/", views.site_edit, name="site"),
    path("sites/<int:pk>/sampler/", views.sampler, name="sampler"),
    path("sites/<int:pk>/tubes/print/", labels.tube_labels, name="tube_labels"),
    path("coverage/", views.coverage, name="coverage"),
    path("results/", views.results, name="results"),
    path("tubes/<str:code>/", views.tube, name="tube"),
    path("results/template/", tabular.template_view("screening-results", RESULT_TEMPLATE), name="results_template"),
    path("retests/<int:pk>/sample/", views.retest_sample, name="retest_sample"),
    path("lookup/", views.lookup, name="lookup"),
]
