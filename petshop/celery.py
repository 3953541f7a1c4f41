"""The Celery application, set up as Celery's guide for Django does: settings prefixed CELERY_ in settings.py.

Production runs `celery -A petshop worker` and `celery -A petshop beat` next to gunicorn (README.md).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "petshop.settings")

app = Celery("petshop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
