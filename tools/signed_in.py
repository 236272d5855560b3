"""Print a session key signed in as USERNAME (the account made when missing, its email
confirmed), for load tests: `manna`'s settings come from the environment.

    python tools/signed_in.py bench-reader     -> the value of the sessionid cookie

Used by bench/site.py and the cluster test; never by the site itself.
"""

from __future__ import annotations

import sys


def main(username: str) -> str:
    from manna.site import setup_django

    setup_django()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from manna.accounts.selectors import profile_of

    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    profile = profile_of(user)
    profile.email_verified = True  # as if they had opened the link we sent
    profile.save()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return str(session.session_key)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python tools/signed_in.py USERNAME")
    print(main(sys.argv[1]))
