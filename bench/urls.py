"""The app's URLs plus the floors under ``/bench/``."""

from django.urls import path

from bench import views
from config.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("bench/tom/", views.tom, name="bench_tom"),
    path("bench/insert/", views.insert, name="bench_insert"),
    *app_urlpatterns,
]
