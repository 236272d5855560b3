from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "manna.desk"
    label = "desk"
    verbose_name = "The author's desk"
