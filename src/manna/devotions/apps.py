from django.apps import AppConfig


class DevotionsConfig(AppConfig):
    name = "manna.devotions"
    label = "devotions"
