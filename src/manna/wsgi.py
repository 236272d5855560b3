"""The WSGI application, served by `manna serve` (granian)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manna.settings")
application = get_wsgi_application()
