from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _


class UtloggingView(auth_views.LogoutView):
    """Django's logout, confirming on the login page that it happened."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("Du er logget ut."))
        return response
