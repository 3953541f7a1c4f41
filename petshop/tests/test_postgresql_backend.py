"""The PostgreSQL backend's health check (petshop/postgresql/base.py), against the real server."""

import select
import time

import psycopg
import pytest
from django.db import connection


def _terminate(backend_pid):
    """End the backend of `backend_pid` from a second connection, as a server restart would."""
    settings = connection.get_connection_params()
    settings.pop("cursor_factory", None)
    settings.pop("context", None)
    settings.pop("prepare_threshold", None)
    with psycopg.connect(**settings, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])


def _wait_readable(raw_connection, seconds=5):
    poller = select.poll()
    poller.register(raw_connection.fileno(), select.POLLIN)
    deadline = time.monotonic() + seconds
    while not poller.poll(50):
        assert time.monotonic() < deadline, "the server did not close the connection"


@pytest.mark.django_db(transaction=True)
def test_a_quiet_connection_is_usable_without_a_round_trip(require_postgres, monkeypatch):
    connection.ensure_connection()
    raw = connection.connection

    def no_round_trip(*args, **kwargs):
        raise AssertionError("the health check sent a query")

    monkeypatch.setattr(raw, "cursor", no_round_trip)
    assert connection.is_usable()


@pytest.mark.django_db(transaction=True)
def test_a_connection_inside_a_transaction_gets_the_full_check(require_postgres):
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("BEGIN")
    try:
        assert raw.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        assert connection.is_usable()  # SELECT 1 answered
    finally:
        raw.execute("ROLLBACK")


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_is_found_and_replaced(require_postgres):
    connection.ensure_connection()
    raw = connection.connection
    _terminate(raw.info.backend_pid)
    _wait_readable(raw)
    assert not connection.is_usable()

    # What a request does first: the failed check closes the connection, and the next query opens a new one.
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert connection.connection.info.backend_pid != raw.info.backend_pid
