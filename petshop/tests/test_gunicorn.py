"""gunicorn.conf.py: read the way gunicorn reads it (a Python file run with the environment as it is)."""

import gc
import runpy
import sys
from pathlib import Path

import pytest
from django.conf import settings

CONF = str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py")


@pytest.fixture
def gc_restored():
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()


def test_workers_default_to_cores_plus_one_at_most_four(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    assert runpy.run_path(CONF)["workers"] == 3
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 16)
    assert runpy.run_path(CONF)["workers"] == 4


def test_preloading_master_freezes_its_objects_for_the_workers(monkeypatch, gc_restored):
    monkeypatch.delenv("GUNICORN_PRELOAD", raising=False)
    conf = runpy.run_path(CONF)
    assert conf["preload_app"] is True
    assert not gc.isenabled()  # the master does not collect (no holes in the pages workers share)
    conf["pre_fork"](server=None, worker=None)
    assert gc.get_freeze_count() > 0  # what the master loaded is frozen before the fork
    conf["post_fork"](server=None, worker=None)
    assert gc.isenabled()  # the worker collects its own garbage


def test_preloading_master_imports_the_urlconf_before_the_fork(monkeypatch, gc_restored):
    monkeypatch.delenv("GUNICORN_PRELOAD", raising=False)
    monkeypatch.delitem(sys.modules, settings.ROOT_URLCONF, raising=False)
    conf = runpy.run_path(CONF)
    conf["on_starting"](server=None)
    assert settings.ROOT_URLCONF in sys.modules  # not left to each worker's first request


def test_without_preload_the_garbage_collector_is_left_alone(monkeypatch, gc_restored):
    monkeypatch.setenv("GUNICORN_PRELOAD", "false")
    conf = runpy.run_path(CONF)
    conf["on_starting"](server=None)
    conf["pre_fork"](server=None, worker=None)
    conf["post_fork"](server=None, worker=None)
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
