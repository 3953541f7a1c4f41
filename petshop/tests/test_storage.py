import json

import pytest

from petshop.storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path):
    manifest = {"version": "1.1", "paths": {"css/shop.css": "css/shop.0123abcd.css"}, "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_static_urls_are_the_hashed_names_from_the_manifest(storage, settings):
    settings.DEBUG = False
    assert storage.url("css/shop.css") == "/static/css/shop.0123abcd.css"
    storage.hashed_files = {}  # the manifest is read once, at start: a URL given once is remembered
    assert storage.url("css/shop.css") == "/static/css/shop.0123abcd.css"


def test_a_name_missing_from_the_manifest_fails_every_time(storage, settings):
    settings.DEBUG = False
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
