from django.apps import AppConfig


class EditionConfig(AppConfig):
    name = "manna.edition"
    label = "edition"
    verbose_name = "The email edition"

    def ready(self) -> None:
        from manna.accounts.signals import profile_updated
        from manna.edition.services import follow_account_time_zone

        def zone_changed(sender, *, user, profile, **kwargs) -> None:
            follow_account_time_zone(user=user, time_zone=profile.time_zone)

        profile_updated.connect(zone_changed, weak=False)
