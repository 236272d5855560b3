from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "manna.community"
    label = "community"
