"""What accounts tell the apps above them, so that accounts never imports them."""

from django.dispatch import Signal

# Sent inside the deletion's transaction, before the account is deleted: `user`.
account_deleting = Signal()

# Sent after a profile's name or time zone is saved: `user`, `profile` (the edition keeps
# an account's subscription in the account's time zone).
profile_updated = Signal()
