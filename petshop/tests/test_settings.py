"""Settings come from the environment; each case runs Django in a fresh process with a crafted environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parents[2]
STRONG_KEY = "k7$Qv!x9#mW2@pL5&nR8*tZ3^bY6%cF1(hJ4)dG0-sA9+eU2=oI7_wE5~qT8"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "shop.example.com",
    "SITE_URL": "https://shop.example.com",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "STRIPE_SECRET_KEY": "sk_test_example",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_example",
    "STRIPE_WEBHOOK_SECRET": "whsec_example",
    "EMAIL_URL": "smtp+tls://shop:secret@mail.example.com:587",
}


def run_django(code: str, **environment) -> subprocess.CompletedProcess:
    """Run `code` after django.setup() in a new interpreter whose environment holds only what is given."""
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "petshop.settings", **environment}
    script = f"import django; django.setup()\n{code}"
    return subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def manage(*args, **environment) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], **environment}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def test_secret_key_is_required_when_debug_is_off():
    result = run_django("", DEBUG="false", PAYMENTS_ALLOW_DEMO="true")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_prices_follow_the_shop_s_locale_and_currency():
    result = run_django(
        "from decimal import Decimal; from petshop.money import format_money; print(format_money(Decimal('1729')))",
        DEBUG="true",
        SHOP_LOCALE="de_DE",
        SHOP_CURRENCY="eur",
    )
    assert result.stdout.strip() == "1.729,00\xa0€", result.stderr


@pytest.mark.parametrize(
    ("name", "value"), [("SHOP_LOCALE", "xx_NOPE"), ("SHOP_LOCALE", "de-"), ("SHOP_CURRENCY", "euro")]
)
def test_an_unknown_locale_or_currency_stops_start_up(name, value):
    result = run_django("", DEBUG="true", **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr


def test_debug_is_off_unless_asked_for():
    result = run_django(
        "from django.conf import settings; print(settings.DEBUG)",
        SECRET_KEY=STRONG_KEY,
        PAYMENTS_ALLOW_DEMO="true",
        SITE_URL_ALLOW_LOCAL="true",
    )
    assert result.stdout.strip() == "False"


def test_development_needs_nothing_configured():
    result = run_django(
        "from django.conf import settings as s;print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'])",
        DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_postgres_url_uses_psycopg_with_persistent_healthy_connections():
    result = run_django(
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
        DEBUG="true",
        DATABASE_URL="postgres://shop:pw@db.internal:5432/petshop",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "petshop", "600", "True"]


def test_postgres_prepared_statements_are_on_unless_turned_off():
    read = "from django.conf import settings as s; print(s.DATABASES['default'].get('OPTIONS', {}))"
    url = "postgres://shop:pw@db.internal:5432/petshop"
    on = run_django(read, DEBUG="true", DATABASE_URL=url)
    assert on.stdout.strip() == "{'server_side_binding': True, 'prepare_threshold': 5}"
    off = run_django(read, DEBUG="true", DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="false")
    assert off.stdout.strip() == "{}"


@pytest.mark.django_db
def test_a_query_run_again_on_the_connection_is_prepared_by_postgresql(require_postgres):
    from django.db import connection

    from animals.models import Animal

    for _ in range(6):  # psycopg prepares a query on its sixth run (prepare_threshold 5)
        list(Animal.objects.filter(name="Rex", price__gte=1).values("pk"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('"animals_animal"."name" = $1' in statement for statement in statements), statements


def test_redis_cache_url_uses_djangos_redis_backend():
    result = run_django(
        "from django.conf import settings as s; c = s.CACHES['default']; print(c['BACKEND'], c['LOCATION'])",
        DEBUG="true",
        CACHE_URL="redis://127.0.0.1:6379/3",
    )
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/3"]


def test_smtp_email_url_configures_the_default_mailer():
    result = run_django(
        "from django.core.mail import mailers; m = mailers.default; print(type(m).__name__, m.host, m.port, m.use_tls)",
        DEBUG="true",
        EMAIL_URL="smtp+tls://user:secret@mail.example.com:587",
    )
    assert result.stdout.split() == ["EmailBackend", "mail.example.com", "587", "True"], result.stderr


def test_cached_sessions_are_switched_on_by_the_environment():
    code = "from django.conf import settings as s; print(s.SESSION_ENGINE)"
    assert run_django(code, DEBUG="true").stdout.strip() == "django.contrib.sessions.backends.db"
    cached = run_django(code, DEBUG="true", SESSION_CACHED="true", CACHE_URL="redis://127.0.0.1:6379/3")
    assert cached.stdout.strip() == "django.contrib.sessions.backends.cached_db"


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr and "issues" not in result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_without_https_hardening():
    insecure = {key: value for key, value in PRODUCTION.items() if not key.startswith(("SECURE_", "SESSION", "CSRF"))}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **insecure)
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W008" in result.stderr  # no SSL redirect


def test_proxy_ssl_header_only_when_configured():
    code = "from django.conf import settings as s; print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    assert run_django(code, DEBUG="true").stdout.strip() == "None"
    trusted = run_django(code, DEBUG="true", SECURE_PROXY_SSL_HEADER="true").stdout.strip()
    assert trusted == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_production_without_stripe_or_demo_refuses_to_start():
    result = run_django("", DEBUG="false", SECRET_KEY=STRONG_KEY, SITE_URL="https://shop.example.com")
    assert result.returncode != 0
    assert "STRIPE_SECRET_KEY" in result.stderr and "PAYMENTS_ALLOW_DEMO" in result.stderr


def test_stripe_api_base_is_refused_with_a_live_key():
    result = run_django("", DEBUG="true", STRIPE_SECRET_KEY="sk_live_abc", STRIPE_API_BASE="http://127.0.0.1:12111")
    assert result.returncode != 0
    assert "STRIPE_API_BASE" in result.stderr


def test_media_storage_switches_to_s3_by_setting():
    result = run_django(
        "from django.conf import settings as s; o = s.STORAGES['default'];"
        "print(o['BACKEND'], o['OPTIONS']['bucket_name'], o['OPTIONS']['endpoint_url'])",
        DEBUG="true",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="petshop-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    assert result.stdout.split() == ["storages.backends.s3.S3Storage", "petshop-media", "http://127.0.0.1:9000"]


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize(
    "site_url",
    [
        None,
        "",
        "http://127.0.0.1:8000",
        "http://localhost:8000",
        "http://[::1]:8000",
        "http://0.0.0.0",
        "http://a.localhost",
    ],
)
def test_production_refuses_to_start_without_a_public_site_url(site_url):
    environment = {"DEBUG": "false", "SECRET_KEY": STRONG_KEY, "PAYMENTS_ALLOW_DEMO": "true"}
    if site_url is not None:
        environment["SITE_URL"] = site_url
    result = run_django("", **environment)
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr and "SITE_URL_ALLOW_LOCAL" in result.stderr


def test_production_accepts_a_public_site_url_or_a_local_one_when_allowed():
    code = "from django.conf import settings as s; print(s.SITE_URL)"
    base = {"DEBUG": "false", "SECRET_KEY": STRONG_KEY, "PAYMENTS_ALLOW_DEMO": "true"}
    public = run_django(code, **base, SITE_URL="https://shop.example.com/")
    local = run_django(code, **base, SITE_URL="http://127.0.0.1:8160", SITE_URL_ALLOW_LOCAL="true")
    unset_local = run_django(code, **base, SITE_URL_ALLOW_LOCAL="true")
    assert public.stdout.strip() == "https://shop.example.com", public.stderr
    assert local.stdout.strip() == "http://127.0.0.1:8160", local.stderr
    assert unset_local.stdout.strip() == "http://127.0.0.1:8000", unset_local.stderr


CELERY_SETTINGS = (
    "from django.conf import settings; from petshop.celery import app; "
    "print(settings.CELERY_BROKER_URL or '-', app.conf.task_always_eager)"
)


def test_without_a_broker_tasks_run_eagerly():
    result = run_django(CELERY_SETTINGS, DEBUG="true")
    assert result.stdout.split() == ["memory://", "True"], result.stderr


def test_the_broker_defaults_to_the_redis_of_the_cache():
    result = run_django(CELERY_SETTINGS, DEBUG="true", CACHE_URL="redis://10.0.0.5:6379/2")
    assert result.stdout.split() == ["redis://10.0.0.5:6379/2", "False"], result.stderr


def test_an_explicit_broker_wins_over_the_cache():
    result = run_django(
        CELERY_SETTINGS, DEBUG="true", CACHE_URL="redis://10.0.0.5:6379/2", CELERY_BROKER_URL="redis://broker:6379/4"
    )
    assert result.stdout.split() == ["redis://broker:6379/4", "False"], result.stderr


@pytest.mark.parametrize("tasks_module", ["notifications.tasks", "alerts.tasks"])
def test_a_web_process_loads_celery_only_to_queue_a_task_and_then_the_project_s_app(tasks_module):
    # Django and the URLconf leave Celery out (petshop/celery.py says why). The modules that web requests queue
    # tasks from bring in the project's app, with its broker: a `@shared_task` there would go to Celery's
    # default app instead.
    code = (
        "import sys; import petshop.urls; print('celery' in sys.modules); "
        f"import {tasks_module} as tasks; from celery import Task; "
        "print(*{task.app.main for task in vars(tasks).values() if isinstance(task, Task)}); "
        "from petshop.celery import app; print(app.conf.broker_url)"
    )
    result = run_django(code, DEBUG="true", CACHE_URL="redis://10.0.0.5:6379/2")
    assert result.stdout.split() == ["False", "petshop", "redis://10.0.0.5:6379/2"], result.stderr


def test_a_web_process_loads_pillow_and_stripe_only_when_it_needs_them():
    # Each counts in every worker's memory (Pillow about 2 MB, stripe about 5 MB): imported by the first photo
    # upload or the first payment call, not by Django's start and the URLconf.
    code = "import sys; import petshop.urls; print('PIL' in sys.modules, 'stripe' in sys.modules)"
    result = run_django(code, DEBUG="true")
    assert result.stdout.split() == ["False", "False"], result.stderr
