"""What accounts tell the apps above them, so that accounts never imports them."""

from django.dispatch import Signal

# Sent inside the deletion's transaction, before the account is deleted: `user`.
account_deleting = Signal()
