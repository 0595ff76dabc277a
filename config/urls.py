from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from config.views import favicon, helse
from elever.forms import InnloggingForm
from elever.views import UtloggingView
from rapporter import views as rapporter_views

urlpatterns = [
    path("", rapporter_views.start, name="start"),
    path(
        "logg-inn/",
        auth_views.LoginView.as_view(
            authentication_form=InnloggingForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logg-ut/", UtloggingView.as_view(), name="logout"),
    path("sprak/", login_not_required(set_language), name="set_language"),
    path("helse/", helse, name="helse"),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("", include("elever.urls")),
    path("", include("fravaer.urls")),
]
