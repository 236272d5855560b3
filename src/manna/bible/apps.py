from django.apps import AppConfig


class BibleConfig(AppConfig):
    name = "manna.bible"
    label = "bible"
