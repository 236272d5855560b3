from django.contrib.auth import views as auth_views
from django.urls import path

from manna.accounts import views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/signup/", views.signup, name="signup"),
    path("account/signin/", views.signin, name="signin"),
    path("account/signout/", views.signout, name="signout"),
    path("account/verify/<str:token>/", views.verify_email, name="verify_email"),
    path("account/verify-again/", views.verify_resend, name="verify_resend"),
    path("account/delete/", views.delete_account, name="delete_account"),
    path("account/password/", views.PasswordChange.as_view(), name="password_change"),
    path("account/password/reset/", views.PasswordReset.as_view(), name="password_reset"),
    path(
        "account/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "account/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
