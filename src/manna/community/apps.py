from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "manna.community"
    label = "community"

    def ready(self) -> None:
        from manna.accounts.signals import account_deleting
        from manna.community import threads
        from manna.community.services import replies_anonymise

        def keep_replies_without_a_name(sender, *, user, **kwargs) -> None:
            replies_anonymise(user=user)

        account_deleting.connect(keep_replies_without_a_name, weak=False)
        threads.connect()
