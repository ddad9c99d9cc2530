"""Where the settings come from: the project directory and the environment.

Only the settings package reads the environment (django-environ); the rest of the code reads
``django.conf.settings``.
"""

from pathlib import Path

import environ

# The repository root (manage.py lives here).
BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
# Off by default: a `.env` file is read only when asked for (twelve-factor, cookiecutter).
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

# Writable state of the embedded default (filesystem broker); git-ignored.
VAR_DIR = BASE_DIR / "var"
