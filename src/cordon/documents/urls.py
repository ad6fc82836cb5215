from django.urls import path

from cordon.documents import views

urlpatterns = [
    path("", views.index, name="index"),
    path("issue/", views.issue, name="issue"),
    path("templates/", views.templates, name="templates"),
    path("templates/<str:kind>/<int:version>/", views.template_download, name="template_download"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/download/<str:fmt>/", views.download, name="download"),
    path("v/<str:public_id>/", views.verify, name="verify"),
]
