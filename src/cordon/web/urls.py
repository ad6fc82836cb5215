from django.contrib.auth import views as auth_views
from django.urls import path

from cordon.web import login, suggest, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", login.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/import/", views.people_import, name="people_import"),
    path("people/moves/", views.moves, name="moves"),
    path("people/moves/<int:pk>/decide/", views.move_decide, name="move_decide"),
    path("regions/", views.regions, name="regions"),
    path("suggest/<str:kind>/", suggest.suggest, name="suggest"),
]
