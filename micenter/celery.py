"""The Celery application: JSON only, tasks found in every app's tasks.py.

With no CELERY_BROKER_URL the settings make tasks run eagerly, in the web process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "micenter.settings")

app = Celery("micenter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
