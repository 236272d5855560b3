from django.urls import path

from manna.edition import views

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("account/email/", views.account_emails, name="account_emails"),
    path("subscribe/account/", views.account_subscription, name="account_subscription"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="subscribe_confirm"),
    path("subscription/<str:token>/", views.manage, name="subscription"),
    path(
        "subscription/<str:token>/unsubscribe/", views.unsubscribe, name="subscription_unsubscribe"
    ),
    path("write/<slug:slug>/email/", views.email_preview, name="edition_preview"),
    path("write/<slug:slug>/edition/", views.edition_page, name="edition_page"),
    path("write/<slug:slug>/edition/test/", views.send_test_to_me, name="edition_test"),
]
