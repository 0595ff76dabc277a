from django.urls import path

from elever import views

app_name = "elever"
urlpatterns = [
    path("klasser/", views.klasser, name="klasser"),
    path("klasser/<int:pk>/", views.klasse, name="klasse"),
    path("faggrupper/<int:pk>/", views.faggruppe, name="faggruppe"),
    path("elever/<int:pk>/", views.elev, name="elev"),
    path("skoler/<int:pk>/", views.skole, name="skole"),
    path("skoler/<int:pk>/import/", views.skoleimport, name="skoleimport"),
    path("importer/<int:pk>/bekreft/", views.skoleimport_bekreft, name="skoleimport_bekreft"),
    path("kommuner/<int:pk>/skolerute/", views.skolerute, name="skolerute"),
    path(
        "skolerute/unntak/<int:pk>/slett/",
        views.skoleruteunntak_slett,
        name="skoleruteunntak_slett",
    ),
]
