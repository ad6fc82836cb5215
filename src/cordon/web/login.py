"""Login. django-axes counts failed logins per user name AND address and locks that pair out for the window
(config/settings.py: CORDON_LOGIN_MAX_FAILURES, CORDON_LOGIN_WINDOW_SECONDS); this module only answers."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext as _


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer: the login page again, saying how long to wait, with a 429."""
    lockout = (_("Too many failed attempts. Try again in %(minutes)d minutes.")
               % {"minutes": max(1, settings.CORDON_LOGIN_WINDOW_SECONDS // 60)})
    return render(request, "registration/login.html", {"form": AuthenticationForm(request), "lockout": lockout,
                                                       "next": request.POST.get("next", "")}, status=429)
