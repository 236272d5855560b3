from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "manna.accounts"
    label = "accounts"
