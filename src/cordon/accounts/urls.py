from django.urls import path

from cordon.accounts import views

urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("2fa/", views.otp_status, name="otp_status"),
    path("2fa/enrol/", views.otp_enrol, name="otp_enrol"),
    path("2fa/verify/", views.otp_verify, name="otp_verify"),
    path("2fa/recovery/", views.otp_recovery, name="otp_recovery"),
    path("oidc/start/", views.OidcStart.as_view(), name="oidc_start"),
    path("oidc/callback/", views.OidcCallback.as_view(), name="oidc_callback"),
]
