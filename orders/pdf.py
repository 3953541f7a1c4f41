"""WeasyPrint: HTML in, PDF bytes out, with the shop's own files as the only images and stylesheets it may load.

Importing WeasyPrint takes a second or more, so `orders.handover` imports this module on the first PDF, not at
start-up.
"""

import mimetypes
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """`html` as a PDF; relative addresses in it are read against `base_url` (the site's public address)."""
    return HTML(string=html, base_url=base_url, url_fetcher=ShopFilesFetcher(base_url=base_url)).write_pdf()


class ShopFilesFetcher(URLFetcher):
    """Gives WeasyPrint the shop's uploaded files (MEDIA) and static files, read from their storage, and refuses
    every other address: making a PDF never goes to the network, nor anywhere else on the disk.

    A refused or missing file is logged by WeasyPrint and left out of the PDF (a missing photo must not stop
    the pack). With `fail_on_errors=True` WeasyPrint would instead raise `FatalURLFetchingError`, which is a
    `BaseException`: keep that in mind before turning it on.
    """

    def __init__(self, *, base_url: str):
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.media_prefix = urljoin(base_url, default_storage.url(""))
        self.static_prefix = urljoin(base_url, settings.STATIC_URL)

    def fetch(self, url, headers=None):
        if url.startswith(self.media_prefix):
            name = _file_name(url, self.media_prefix)
            return _response(url, name, default_storage.open(name))
        if url.startswith(self.static_prefix):
            name = _file_name(url, self.static_prefix)
            path = finders.find(name)  # the source folders (development, tests) ...
            if path:
                return _response(url, name, open(path, "rb"))  # noqa: SIM115 (WeasyPrint closes it)
            return _response(url, name, staticfiles_storage.open(name))  # ... or collectstatic's (hashed names)
        raise ValueError(f"Not one of the shop's media or static files: {url}")


def _file_name(url: str, prefix: str) -> str:
    name = unquote(urlsplit(url.removeprefix(prefix)).path)
    if not name or ".." in name.split("/") or name.startswith("/"):
        raise ValueError(f"Not a file name: {url}")
    return name


def _response(url, name, file):
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, file, headers={"Content-Type": content_type})
