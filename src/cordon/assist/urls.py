from django.urls import path

from cordon.assist import exchange, views
from cordon.core import tabular

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("upload/", views.upload, name="upload"),
    path("upload/template/", tabular.template_view("assist-incoming", exchange.TEMPLATE), name="template"),
    path("partners/", views.partners, name="partners"),
    path("<int:pk>/", views.detail, name="detail"),
]
