"""Settings for the example: no database, no templates, one app that streams answers.

The VisionChat client reads `VISIONCHAT_BASE_URL` and `VISIONCHAT_API_KEY` from the
environment; nothing about it needs to be configured here.
"""

from __future__ import annotations

import os

DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
# A demo key only: set DJANGO_SECRET_KEY for anything that is not a local try-out.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "visionchat-example-not-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = ["chatsite"]  # the project is also the app, for its `ask` command
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "chatsite.urls"
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True
