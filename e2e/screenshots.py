"""Full-page screenshots of the main pages, desktop and phone, from seeded demo data: `make screenshots`.

Builds a throwaway SQLite database and media folder, seeds them with `seed_demo`, runs `manage.py runserver`
in the background on a free loopback port (DEBUG=true), drives Debian's Chromium with Playwright, saves the
PNGs into docs/screenshots/ and stops the server. Nothing outside the temporary folder and docs/screenshots/
is touched.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

BASE_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = BASE_DIR / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}
DEMO_ANIMALS = 24
# (file name, path) for the desktop shots; MOBILE_PAGES are also taken on a phone-sized screen.
DESKTOP_PAGES = [
    ("home", "/"),
    ("catalogue", "/animals/"),
    ("species", "/animals/dogs/"),
    ("animal", None),  # the first animal's page, found from the catalogue
    ("cart", "/cart/"),
    ("checkout", "/checkout/"),
]
MOBILE_PAGES = ["home", "catalogue", "animal", "cart"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped early (exit code {server.returncode}).")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit(f"The server did not answer at {url} within {timeout} s.")


def shoot(page, name: str, suffix: str) -> Path:
    page.wait_for_load_state("networkidle")
    path = OUT_DIR / f"{name}-{suffix}.png"
    page.screenshot(path=path, full_page=True, animations="disabled")
    # A 256-colour palette keeps the files a third of the size; the flat drawings and text stay crisp.
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)
    return path


def take_screenshots(url: str) -> list[Path]:
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        for suffix, viewport, wanted in (("desktop", DESKTOP, None), ("mobile", MOBILE, MOBILE_PAGES)):
            context = browser.new_context(viewport=viewport, device_scale_factor=1)
            page = context.new_page()
            page.goto(f"{url}/animals/")
            animal_url = page.locator("article.animal-card a").first.get_attribute("href")
            # Something in the cart, so that the cart and checkout pages show their real content.
            page.goto(f"{url}{animal_url}")
            page.get_by_role("button", name="Add to cart").click()
            page.wait_for_load_state("networkidle")
            for name, path in DESKTOP_PAGES:
                if wanted is not None and name not in wanted:
                    continue
                page.goto(f"{url}{path or animal_url}")
                saved.append(shoot(page, name, suffix))
            context.close()
        browser.close()
    return saved


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="petshop-screenshots-") as tmp:
        env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "MEDIA_ROOT": f"{tmp}/media",
            "CACHE_URL": "locmemcache://",
            "PAYMENTS_ALLOW_DEMO": "true",
            "EMAIL_URL": "consolemail://",
        }
        manage("migrate", "--noinput", env=env)
        manage("seed_demo", "--animals", str(DEMO_ANIMALS), env=env)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(url, server)
            saved = take_screenshots(url)
        finally:
            server.terminate()
            server.wait(timeout=10)
    for path in saved:
        print(f"saved {path.relative_to(BASE_DIR)} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
