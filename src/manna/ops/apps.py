from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "manna.ops"
    label = "ops"
