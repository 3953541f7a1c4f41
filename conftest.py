"""Project-wide test set-up: test settings from the environment, and the PostgreSQL guard for CI."""

import os

import pytest

# The test run's environment defaults (SECRET_KEY, PAYMENTS_ALLOW_DEMO, ...) are in pyproject.toml (pytest-env).


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files in tests go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def require_postgres(django_db_blocker):
    """Skip outside CI when the database is not PostgreSQL; under CI=true fail instead."""
    from django.db import connection

    if connection.vendor != "postgresql":
        message = "needs PostgreSQL (set DATABASE_URL=postgres://...)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
