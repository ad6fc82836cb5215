from django.urls import path

from cordon.livelihood import views

urlpatterns = [
    path("", views.index, name="index"),
    path("needs/<int:pk>/", views.need, name="need"),
    path("needs/<int:pk>/proof/", views.need_proof, name="need_proof"),
    path("teams/", views.teams, name="teams"),
    path("emergencies/", views.emergencies, name="emergencies"),
    path("emergencies/escalate/", views.escalate, name="escalate"),
    path("emergencies/<int:pk>/", views.emergency, name="emergency"),
    path("essentials/", views.essentials, name="essentials"),
    path("enterprises/", views.enterprises, name="enterprises"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("portal/", views.portal, name="portal"),
]
