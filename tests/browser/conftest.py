"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from such
a thread unless DJANGO_ALLOW_ASYNC_UNSAFE is set, which is safe here (one thread, tests only)."""

import os
import shutil

import pytest

from tests.conftest import PASSWORD, ensure_start_page, make_user

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(live_server):
    """Debian's Chromium for the whole session. It depends on the live server so that it closes
    first: a page still open at the end (polling the feed, loading) must not send a request to a
    server that is shutting down - with the in-memory SQLite database shared with the server's
    threads, such a late request failed the last test's teardown."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}; CI must run the browser tests")
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium chromium-driver)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        locale="de-DE", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _sign_in_limits_per_account_only(settings):
    """allauth limits sign-ins per address: 30 a minute ("login") and 10 failed a minute. Every
    test's client and the browser come from 127.0.0.1, so the other tests of the same worker used
    them up and a browser test's sign-in was refused at random in CI. Here only the per-account
    limit on failed sign-ins stays (the limits themselves are tested in
    tests/people/test_second_factor.py)."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": None, "login_failed": "5/5m/key"}


def forget_failed_sign_ins(user) -> None:
    """Clears allauth's counter of failed sign-ins for ``user``'s address. Other tests of the same
    worker sign in wrongly as the same person on purpose (an erased or deactivated account, a
    wrong password): five within five minutes blocked this browser sign-in with "Zu viele …"."""
    from allauth.account.adapter import get_adapter
    from django.http import HttpRequest

    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    # allauth's own way to forget them (used after a password reset)
    get_adapter(request)._delete_login_attempts_cached_email(request, email=user.email)


def sign_in(page, live_server, user, password=PASSWORD, totp_secret=None):
    """Signs in through the real form; with `totp_secret` also enters the second factor."""
    forget_failed_sign_ins(user)
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("E-Mail").fill(user.email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    # The next page has loaded, its scripts included (a test may type into the header's search
    # box next: with only its answer there, suggest.js was not yet listening, test_search.py).
    # 30 s: in one CI run on a busy machine the start page's load came after the page's 15 s.
    page.wait_for_url(lambda url: "/konto/login" not in url, timeout=30_000)
    if totp_secret:
        import time

        from tests.conftest import totp_code

        # A code typed in the last seconds of its 30-second window may be stale on arrival
        # (slow CI); wait for a fresh window, as a person would wait for the next code.
        if time.time() % 30 > 22:
            time.sleep(30 - time.time() % 30 + 0.5)
        page.get_by_label("Code").fill(totp_code(totp_secret))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/konto/2fa/authenticate" not in url)


@pytest.fixture
def staff(transactional_db, department):
    ensure_start_page()
    return make_user("anna.schmidt", department=department, first_name="Anna", last_name="Schmidt")
