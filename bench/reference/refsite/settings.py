"""Settings of the reference project: the least Django needs to render a template from PostgreSQL.

Same database driver and options (persistent, health-checked connections, server-side prepared statements),
USE_I18N off and DEBUG=false as Petshop, and nothing else: no middleware, no sessions, no auth. Its
throughput is the yardstick the catalogue pages are compared with.
"""

import os

import environ

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "reference-benchmark-only-not-a-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = ["rows"]
MIDDLEWARE = []
ROOT_URLCONF = "refsite.urls"
WSGI_APPLICATION = "refsite.wsgi.application"

TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]

DATABASES = {
    "default": environ.Env.db_url_config(
        os.environ.get("REF_DATABASE_URL", "postgres://root@127.0.0.1:5432/petshop_bench_ref")
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = 600  # as the shop
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)  # as the shop
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

USE_I18N = False  # as the shop
USE_TZ = True
TIME_ZONE = "UTC"
