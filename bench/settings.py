"""The shipped settings with the bench's URLconf on top: the floor views are served by the
same server and middleware as the app, but never ship in ``config/urls.py``."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
