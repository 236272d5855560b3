"""`manna admin createsuperuser`, Manna's way: an administrator who signs in on the site.

Django's own command asks for a username, which Manna does not use (an account's username
is its lowercased email), and makes an account the site cannot sign in and `manna role`
cannot find. This one asks for the email address and a password and makes an admin with a
confirmed address. Without a terminal: `--email` and DJANGO_SUPERUSER_PASSWORD.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from manna.accounts.services import account_create_admin


class Command(BaseCommand):
    help = "Create an administrator who signs in on the site with an email address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", help="The administrator's email address.")
        parser.add_argument("--name", default="", help="The name shown on the site.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Ask nothing: --email, and the password in DJANGO_SUPERUSER_PASSWORD.",
        )
        # Django's own options, accepted so that its habits do not fail: the username is the
        # email address here.
        parser.add_argument("--username", help="Ignored: the email address is the username.")
        parser.add_argument("--database", help="Ignored: Manna has one database.")

    def handle(self, *args: Any, **options: Any) -> None:
        interactive = options["interactive"]
        email = options["email"] or (input("Email address: ").strip() if interactive else "")
        if not email:
            raise CommandError("give the administrator's email address with --email")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        if not password and interactive:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("the two passwords differ; nothing was created")
        if not password:
            raise CommandError("set DJANGO_SUPERUSER_PASSWORD to the password (--noinput)")
        try:
            user = account_create_admin(
                email=email, password=password, display_name=options["name"]
            )
        except ValidationError as err:
            raise CommandError(" ".join(err.messages)) from None
        self.stdout.write(f"{user.email} is an administrator; sign in on the site with it.")
