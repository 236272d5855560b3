import os

import pytest
from django.db import connection

from manna.settings import database_from_url

pytestmark = pytest.mark.django_db


def test_the_database_is_the_one_database_url_names():
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected


def test_database_urls_are_parsed():
    assert database_from_url("postgres://u:p%40ss@db.example:5433/manna") == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "manna",
        "USER": "u",
        "PASSWORD": "p@ss",
        "HOST": "db.example",
        "PORT": "5433",
        "CONN_MAX_AGE": 60,
    }
    assert database_from_url("sqlite:///srv/manna/db.sqlite3")["NAME"] == "/srv/manna/db.sqlite3"
    with pytest.raises(ValueError, match=r"use sqlite:///path/to/manna\.sqlite3 or postgres://"):
        database_from_url("mysql://x")
