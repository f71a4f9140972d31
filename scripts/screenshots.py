"""Take the screenshots of docs/organisers.md from the demo, in Chromium.

Start the demo first (``./run``, or ``PORT=8123 ./run``), then, in another terminal:

    .venv/bin/python scripts/screenshots.py [--url http://127.0.0.1:8000] [--out docs/img]

It logs in as the demo organiser (two-factor code from ``parlons demo --code``), visits
the back-office and the public pages in English, and writes small PNG files (palette
images, at most 150 KB each) to ``docs/img/``.  It changes nothing in the demo but saves
the process and the branding unchanged once, so that the audit log has entries to show.
Chromium is Debian's (``PARLONS_CHROMIUM`` or ``chromium`` on the PATH).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ORGANISER = "organisatrice@villeneuve.demo"
PASSWORD = "parlons-demo"
LIMIT = 150 * 1024

# (file name, path, what to capture: "page" for the viewport, a CSS selector for one part)
SHOTS = [
    ("backoffice-processes.png", "/en/backoffice/villeneuve/", "page"),
    ("backoffice-process.png", "/en/backoffice/villeneuve/processes/participer/", "page"),
    ("backoffice-new-process.png", "/en/backoffice/villeneuve/processes/new/", "main"),
    (
        "backoffice-choose-module.png",
        "/en/backoffice/villeneuve/processes/participer/modules/new/",
        "page",
    ),
    (
        "backoffice-module.png",
        "/en/backoffice/villeneuve/processes/participer/modules/new/?module=pages",
        "main",
    ),
    (
        "backoffice-phase.png",
        "/en/backoffice/villeneuve/processes/participer/phases/{phase}/",
        "main",
    ),
    ("backoffice-members.png", "/en/backoffice/villeneuve/members/", "page"),
    ("backoffice-branding.png", "/en/backoffice/villeneuve/branding/", "main"),
    ("backoffice-verifications.png", "/en/backoffice/villeneuve/verifications/", "main"),
    ("backoffice-audit.png", "/en/backoffice/villeneuve/audit/", "page"),
    ("backoffice-data-requests.png", "/en/backoffice/villeneuve/privacy/", "page"),
    ("public-home.png", "/en/", "page"),
    ("public-process.png", "/en/villeneuve/participer/", "page"),
]


def two_factor_code() -> str:
    parlons = shutil.which("parlons") or str(ROOT / ".venv" / "bin" / "parlons")
    done = subprocess.run([parlons, "demo", "--code"], capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def small_png(png: bytes) -> bytes:
    """A palette PNG (256 colours), halved in size until it fits the limit."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    while True:
        out = io.BytesIO()
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
        if out.tell() <= LIMIT:
            return out.getvalue()
        image = image.resize(
            (image.width * 4 // 5, image.height * 4 // 5), Image.Resampling.LANCZOS
        )


def log_in(page, url: str) -> None:
    page.goto(f"{url}/en/accounts/login/")
    page.fill("input[name=login]", ORGANISER)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.fill("input[name=code]", two_factor_code())
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{url}/en/**")


def first_phase(page, url: str) -> str:
    page.goto(f"{url}/en/backoffice/villeneuve/processes/participer/")
    href = page.locator("a[href*='/phases/']:not([href$='/new/'])").first.get_attribute("href")
    return href.rstrip("/").rsplit("/", 1)[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("PARLONS_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    options = parser.parse_args()
    chromium = os.environ.get("PARLONS_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        print("Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    options.out.mkdir(parents=True, exist_ok=True)
    url = options.url.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        context = browser.new_context(
            viewport={"width": 1200, "height": 820}, locale="en-GB", device_scale_factor=1
        )
        page = context.new_page()
        log_in(page, url)
        phase = first_phase(page, url)
        for form in ("processes/participer/edit/", "branding/"):  # entries for the audit log
            page.goto(f"{url}/en/backoffice/villeneuve/{form}")
            page.locator("main form.stack button[type=submit]").click()
        for name, path, part in SHOTS:
            page.goto(url + path.format(phase=phase))
            png = page.screenshot() if part == "page" else page.locator(part).screenshot()
            data = small_png(png)
            (options.out / name).write_bytes(data)
            print(f"{name}: {len(data) // 1024} KB")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
