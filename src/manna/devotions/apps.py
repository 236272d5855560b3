from django.apps import AppConfig


class DevotionsConfig(AppConfig):
    name = "manna.devotions"
    label = "devotions"

    def ready(self) -> None:
        from django.db import transaction
        from django.db.models.signals import post_delete

        from manna.devotions.models import Devotion
        from manna.web.cache import pages_changed

        # Saves retire the cached pages in services; a removal (the admin's) here.
        post_delete.connect(
            lambda **_: transaction.on_commit(pages_changed, robust=True),
            sender=Devotion,
            weak=False,
            dispatch_uid="devotion-removed",
        )
