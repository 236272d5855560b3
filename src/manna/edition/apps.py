from django.apps import AppConfig


class EditionConfig(AppConfig):
    name = "manna.edition"
    label = "edition"
    verbose_name = "The email edition"
