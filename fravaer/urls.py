from django.urls import path

from fravaer import permisjon_views, views

app_name = "fravaer"
urlpatterns = [
    path("fravaer/klasser/<int:pk>/", views.register, name="register"),
    path("fravaer/klasser/<int:pk>/elever/<int:elev_pk>/", views.register_rad, name="register_rad"),
    path("fravaer/klasser/<int:pk>/bekreft/", views.register_bekreft, name="register_bekreft"),
    path("fravaer/faggrupper/<int:pk>/", views.timeregister, name="timeregister"),
    path(
        "fravaer/faggrupper/<int:pk>/elever/<int:elev_pk>/",
        views.timeregister_rad,
        name="timeregister_rad",
    ),
    path(
        "fravaer/faggrupper/<int:pk>/bekreft/",
        views.timeregister_bekreft,
        name="timeregister_bekreft",
    ),
    path("fravaer/elever/<int:pk>/permisjon/", permisjon_views.permisjon, name="permisjon"),
    path(
        "fravaer/elever/<int:pk>/permisjon/<int:soknad_pk>/",
        permisjon_views.permisjonssoknad,
        name="permisjonssoknad",
    ),
    path("fravaer/import/", views.fravaerimport, name="import"),
    path("fravaer/import/<int:pk>/bekreft/", views.fravaerimport_bekreft, name="import_bekreft"),
]
