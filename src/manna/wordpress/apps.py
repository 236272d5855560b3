from django.apps import AppConfig


class WordPressConfig(AppConfig):
    name = "manna.wordpress"
    label = "wordpress"
    verbose_name = "WordPress import"
