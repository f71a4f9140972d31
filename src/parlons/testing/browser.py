"""Browser fixtures: Debian's Chromium driven by Playwright, and the axe engine.

Tests marked ``browser`` get a ``page``; ``assert_accessible(page)`` runs axe-core on
the page as it is and fails with every violation listed.  Without Chromium the tests
skip with the reason (``./test`` makes that a failure under CI=true).
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    return os.environ.get("PARLONS_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15000)
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((live_server.url, "data:", "about:"))
            else None
        ),
    )
    yield page
    context.close()
    assert not outside, f"the pages asked third parties for: {outside}"


def assert_accessible(page) -> None:
    """Run axe-core (WCAG 2.1 A/AA rules and best practices) and fail on any violation."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error

    options = {
        "runOnly": {
            "type": "tag",
            "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
        }
    }
    # A click that follows a link returns before the next page has replaced this one;
    # axe started in between finds no document ("documentElement" of null) or loses its
    # execution context.  Wait for the page that is arriving and check that one.
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            results = Axe().run(page, options=options)
            break
        except Error as error:
            navigating = "documentElement" in str(error) or "context was destroyed" in str(error)
            if not navigating or attempt == 2:
                raise
    violations = results.response["violations"]
    assert not violations, f"axe violations on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in v["nodes"][:5]
        )
        for v in violations
    )
