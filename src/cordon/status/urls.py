from django.urls import path

from cordon.status import labels, views

urlpatterns = [
    path("", views.index, name="index"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/card/", labels.credential_card, name="card"),
    path("cards/", labels.credential_cards, name="cards"),
]
