"""Browser tier: the operator's board page in Debian's Chromium (headless), driven by Playwright, against
the whole platform started exactly as the end-to-end tier starts it (its fixtures, imported, not copied)."""
import pytest
from playwright.sync_api import expect, sync_playwright

from linli_dev.testrun import ensure_chromium
from tests.e2e.conftest import gateway_url, issuer_dir, operator_headers, otlp, stack  # noqa: F401 (fixtures)

# Chromium without the things that reach out to the network or need a GPU or a sandboxing kernel.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def playwright_session():
    """One Playwright for the whole tier: its sync API runs one instance at a time in a thread, so every
    browser of the tier (the board's, the calls' and the rooms' with fake media) is launched from it."""
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session):
    executable = ensure_chromium()
    expect.set_options(timeout=10_000)  # a live update crosses five processes; allow for a slow machine
    browser = playwright_session.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
