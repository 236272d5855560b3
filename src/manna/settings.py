"""Django settings, built from environment variables (see the README's Settings table).

Every value has a safe default for a local, single-machine site: SQLite in the data
directory, DEBUG off, the console email backend.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from manna.config import (
    PUBLIC_KEY,
    ImproperlyConfigured,
    data_dir,
    default_translation,
    env,
    envbool,
    envint,
    envlist,
    envrate,
    site_secret_key,
)
from manna.ops.logs import logging_config

PACKAGE_DIR = Path(__file__).resolve().parent


def database_from_url(url: str) -> dict[str, Any]:
    """`sqlite:///path/to/db.sqlite3` or `postgres://user:password@host:port/name`."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        return sqlite_database(Path(unquote(parsed.path)))
    if parsed.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": unquote(parsed.hostname or ""),
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL={url!r}: use sqlite:///path/to/manna.sqlite3 "
        "or postgres://user:password@host:port/name"
    )


def sqlite_database(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Each server thread keeps its connection: opening one (the file, then the PRAGMAs
        # below) took a quarter of an anonymous devotion page's time under load.
        "CONN_MAX_AGE": 600,
        # WAL lets readers carry on while an import writes; the lock wait covers bursts.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATA_DIR = data_dir()
DEBUG = envbool("MANNA_DEBUG")
SECRET_KEY = env("MANNA_SECRET_KEY") or site_secret_key(DATA_DIR)
if SECRET_KEY == PUBLIC_KEY:
    raise ImproperlyConfigured(
        "MANNA_SECRET_KEY is the key older Manna used by default, which is public: unset it "
        "(Manna then makes one for this site) or set a random one"
    )
ALLOWED_HOSTS = envlist("MANNA_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("MANNA_CSRF_TRUSTED_ORIGINS")

DATABASES = {
    "default": (
        database_from_url(env("DATABASE_URL"))
        if env("DATABASE_URL")
        else sqlite_database(DATA_DIR / "manna.sqlite3")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    # First: its `createsuperuser` replaces Django's (an admin who signs in with an email).
    "manna.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "manna.devotions",
    "manna.bible",
    "manna.web",
    "manna.queue",
    "manna.community",
    "manna.desk",
    "manna.edition",
    "manna.practice",
    "manna.wordpress",
    "manna.ops",
]

MIDDLEWARE = [
    "manna.ops.metrics.RequestMetrics",  # counts and times every request, kept pages too
    "manna.web.cache.PageCache",  # a kept page skips everything below
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "manna.web.security.RefuseNulMiddleware",
    "manna.web.redirects.OldAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "manna.accounts.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "manna.web.security.ContentSecurityPolicyMiddleware",
    "manna.web.app.OfflineMarkMiddleware",
]

ROOT_URLCONF = "manna.urls"
WSGI_APPLICATION = "manna.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% url %}, {% static %}, {% csrf_token %}: Django's, cheaper (the modules say how).
            "builtins": ["manna.web.templatetags.links", "manna.web.templatetags.forms"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "manna.web.context.site",
                "manna.web.csrf.csrf",  # Django's token, drawn faster (the module says how)
                "manna.accounts.context.account",
                "manna.community.context.moderation",
            ],
        },
    }
]

LANGUAGE_CODE = "en"
TIME_ZONE = env("MANNA_TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env("MANNA_STATIC_ROOT") or DATA_DIR / "static")
# Pictures kept by Manna (a WordPress blog's uploads): manna.web.media serves them.
MEDIA_ROOT = Path(env("MANNA_MEDIA_DIR") or DATA_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Static files are served from the package when `collectstatic` has not run (tests, runserver).
WHITENOISE_USE_FINDERS = True

# Email: every email is saved in the outbox and sent by a worker (manna.queue) through
# MANNA_EMAIL_BACKEND: printed to the console by default; SMTP in production.
EMAIL_BACKEND = "manna.queue.backend.QueuedEmailBackend"
MANNA_EMAIL_TRANSPORT = env("MANNA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_TIMEOUT = envint("MANNA_EMAIL_TIMEOUT", 30, minimum=1, maximum=600)
EMAIL_HOST = env("MANNA_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("MANNA_EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env("MANNA_EMAIL_USER")
EMAIL_HOST_PASSWORD = env("MANNA_EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("MANNA_EMAIL_TLS")
DEFAULT_FROM_EMAIL = env("MANNA_EMAIL_FROM", "Manna <manna@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The site itself.
MANNA_SITE_NAME = env("MANNA_SITE_NAME", "Manna")
MANNA_TRANSLATION = default_translation()
# The order of a day's devotions, by their `slot:` ("morning,evening"; a devotion with no
# slot comes first). A slot not listed here is refused.
MANNA_SLOTS = envlist("MANNA_SLOTS", "morning,evening")
MANNA_PARALLEL_TRANSLATION = env("MANNA_PARALLEL_TRANSLATION", "web")
MANNA_PAGE_CACHE_SECONDS = envint("MANNA_PAGE_CACHE_SECONDS", 60)
# The cache of pages and fragments: each process's memory by default; redis://host:port/db
# (or rediss://, unix://) for one cache that several servers share (manna.web.cache).
MANNA_CACHE_URL = env("MANNA_CACHE_URL", "")
if MANNA_CACHE_URL and urlparse(MANNA_CACHE_URL).scheme not in ("redis", "rediss", "unix"):
    raise ImproperlyConfigured(
        f"MANNA_CACHE_URL={MANNA_CACHE_URL!r}: leave it unset (each process's memory) or "
        "use redis://host:port/db"
    )
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": MANNA_CACHE_URL}
        if MANNA_CACHE_URL
        # Pages and fragments: a devotion at three depths, chapters, listings.
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    )
}

# The site's public address, for links in emails.
MANNA_SITE_URL = env("MANNA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The email edition's sender ("" : DEFAULT_FROM_EMAIL) and the address replies go to.
MANNA_EDITION_FROM = env("MANNA_EDITION_FROM", "")
MANNA_EDITION_REPLY_TO = env("MANNA_EDITION_REPLY_TO", "")
# At most this many editions a second to the mail server (0: as fast as it takes them).
MANNA_EDITION_RATE = envint("MANNA_EDITION_RATE", 0)
# The task queue: "" is a SQLite file in the data folder; redis://host:port/db for several
# machines; "immediate" runs each task at once where it is queued (manna.queue.engine).
MANNA_QUEUE_URL = env("MANNA_QUEUE_URL", "")

# Accounts and replies.
LOGIN_URL = "signin"
LOGIN_REDIRECT_URL = "account"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
MANNA_GUEST_REPLIES = envbool("MANNA_GUEST_REPLIES")
MANNA_GUEST_MIN_SECONDS = envint("MANNA_GUEST_MIN_SECONDS", 3)
MANNA_MODERATE_FIRST_REPLY = envbool("MANNA_MODERATE_FIRST_REPLY", True)
MANNA_REPLY_EDIT_MINUTES = envint("MANNA_REPLY_EDIT_MINUTES", 15)
MANNA_REPLY_MAX_LINKS = envint("MANNA_REPLY_MAX_LINKS", 2)
MANNA_REPLY_MAX_CHARS = envint("MANNA_REPLY_MAX_CHARS", 5000, minimum=1)
# Graded depth: after this many sessions kept at one depth within this many days, a reader
# is invited one step deeper ("sessions/days").
MANNA_DEPTH_GROWTH = env("MANNA_DEPTH_GROWTH", "10/21")
if not re.fullmatch(r"[1-9][0-9]*/[1-9][0-9]*", MANNA_DEPTH_GROWTH):
    raise ImproperlyConfigured(
        f"MANNA_DEPTH_GROWTH={MANNA_DEPTH_GROWTH!r}: write sessions/days, e.g. 10/21 "
        "(10 sessions kept within 21 days)"
    )
# Rate limits, "count/seconds": per account (or per email address) and per IP address.
MANNA_RATE_LIMITS = {
    "signup": envrate("MANNA_RATE_SIGNUP", "3/3600"),
    "signup-ip": envrate("MANNA_RATE_SIGNUP_IP", "10/3600"),
    "signin": envrate("MANNA_RATE_SIGNIN", "10/600"),
    "signin-ip": envrate("MANNA_RATE_SIGNIN_IP", "30/600"),
    "reply": envrate("MANNA_RATE_REPLY", "5/60"),
    "reply-ip": envrate("MANNA_RATE_REPLY_IP", "20/60"),
    "like": envrate("MANNA_RATE_LIKE", "60/60"),
    "like-ip": envrate("MANNA_RATE_LIKE_IP", "240/60"),
    "email": envrate("MANNA_RATE_EMAIL", "5/3600"),
    "email-ip": envrate("MANNA_RATE_EMAIL_IP", "20/3600"),
    # At most this many emails to the moderators about replies waiting (a digest).
    "moderation-digest": envrate("MANNA_MODERATION_DIGEST", "1/3600"),
    "subscribe": envrate("MANNA_RATE_SUBSCRIBE", "3/3600"),
    "subscribe-ip": envrate("MANNA_RATE_SUBSCRIBE_IP", "10/3600"),
}
# Proxies in front of the site that append to X-Forwarded-For (0: use the socket's address).
MANNA_PROXY_HOPS = envint("MANNA_PROXY_HOPS", 0)
if MANNA_PROXY_HOPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Cookies and headers. MANNA_SECURE_COOKIES=1 behind HTTPS in production.
SESSION_COOKIE_HTTPONLY = True
AUTHENTICATION_BACKENDS = [
    "manna.accounts.backends.ProfileBackend",  # the person and their profile in one query
    # Sessions begun before it kept this name: they stay signed in.
    "django.contrib.auth.backends.ModelBackend",
]
# Sessions are rows in the database; with a shared cache, read through it (a signed-in
# page then needs no session query). Never through each process's own memory: a sign-out
# there would leave the session alive in the others.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if MANNA_CACHE_URL
    else "manna.accounts.sessions"  # Django's database sessions, read by a prepared query
)
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = envbool("MANNA_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "manna.web.views.csrf_failure"
SECURE_HSTS_SECONDS = envint("MANNA_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
MANNA_CSP = env(
    "MANNA_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
)

# MANNA_LOG_FORMAT=json: one JSON object a line (manna.ops.logs), the server's lines too.
MANNA_LOG_FORMAT = env("MANNA_LOG_FORMAT", "text")
if MANNA_LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"MANNA_LOG_FORMAT={MANNA_LOG_FORMAT!r}: use text or json")
LOGGING = logging_config(
    level=env("MANNA_LOG_LEVEL", "WARNING"), json_lines=MANNA_LOG_FORMAT == "json"
)
# Prometheus's bearer token for /metrics (docs/deploy.md); empty: /metrics answers 404.
MANNA_METRICS_TOKEN = env("MANNA_METRICS_TOKEN", "")
