from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "manna.practice"
    verbose_name = "Practice"
