from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "manna.web"
    label = "web"
