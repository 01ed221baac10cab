"""Browser tests drive Debian's Chromium through Playwright (never `playwright install`: its
download is unreachable here). Screenshots go to test-results/screenshots/."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ZHAOSHANG_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
# Offline flags: without them Chromium keeps calling home, and the closed network refuses it.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(
            f"浏览器测试跳过:未找到 Chromium({CHROMIUM});`make browser` 或 .ci/run 会安装 Debian 的 chromium"
        )
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def shot(page):
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str, full_page: bool = True):
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def login(page, live_server):
    """``login(username)``: sign in through the login form as a person would."""

    def sign_in(username: str, password: str = "Zhaoshang@2022"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

    return sign_in
