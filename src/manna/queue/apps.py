from django.apps import AppConfig


class QueueConfig(AppConfig):
    name = "manna.queue"
    label = "queue"
    verbose_name = "The queue and the outbox"
