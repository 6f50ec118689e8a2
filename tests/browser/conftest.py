"""Browser tests: the games' H5 pages, built from their sources, played in Debian's headless
Chromium (driven by Playwright, never its own browser download) against `mgames local`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pytest
import yaml
from filelock import FileLock
from playwright.sync_api import Browser, ConsoleMessage, Page, ViewportSize, sync_playwright

from tests.local_process import clean_env, start_local, stop_local

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "docs" / "screenshots"
PHONE: ViewportSize = {"width": 390, "height": 844}


def demo_doc() -> dict[str, Any]:
    """examples/demo.yaml as a document."""
    doc: dict[str, Any] = yaml.safe_load((ROOT / "examples" / "demo.yaml").read_text())
    return doc


def browser_demo(folder: Path) -> Path:
    """The demo campaign with bookings taken at any hour, so the tests pass at any time of day,
    and helps from the initiator's IP (every browser here is on 127.0.0.1)."""
    doc = demo_doc()
    doc["games"]["booking"]["booking"] |= {"from_hour": 0, "until_hour": 24}
    doc["games"]["assist"]["block_same_ip"] = False
    path = folder / "demo.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    return path


def build_pages() -> None:
    """Build the pages (and the console's scripts) unless they are newer than their sources;
    once at a time, as the stacks of other test workers serve them."""
    with FileLock(ROOT / "sdk" / ".build.lock"):
        marker = ROOT / "sdk" / "dist" / "pages" / ".built"
        sources = [*ROOT.glob("games/*/page/*"), *(ROOT / "sdk" / "src").rglob("*.ts"),
                   *(ROOT / "sdk" / "src").rglob("*.html")]
        scripts = [ROOT / "plugins" / "console" / "assets" / name for name in ("console.js", "report.js")]
        if marker.exists() and all(p.exists() for p in scripts) \
                and marker.stat().st_mtime >= max(p.stat().st_mtime for p in sources):
            return
        built = subprocess.run(["node", "scripts/build.mjs"], cwd=ROOT / "sdk", capture_output=True,
                               text=True, timeout=120, check=False)
        assert built.returncode == 0, built.stdout + built.stderr + " (run scripts/setup)"
        marker.touch()


@dataclass(frozen=True)
class Stack:
    """A running `mgames local`: its games' base URL, its DynamoDB, the CLI's environment, and
    the console's URL (its web console at `/`)."""

    url: str
    dynamodb: str
    env: dict[str, str]
    console: str

    def mgames(self, *args: str, **env: str) -> str:
        """Run an `mgames` command against this stack's table, with `env` added to its
        environment; answer what it printed."""
        done = subprocess.run([sys.executable, "-m", "infra.cli", *args, "--endpoint", self.dynamodb,
                               "--table", "mgames-local"],
                              cwd=ROOT, env=self.env | env, capture_output=True, text=True, timeout=60,
                              check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def apply(self, doc: dict[str, Any], folder: Path, **env: str) -> str:
        """Apply one more campaign (or version) to this stack (`mgames apply`, with `env`),
        kept as a file in `folder`; answer its id, for a page's `?campaign=`."""
        path = folder / f"{doc['id']}.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True))
        assert f"applied {doc['id']} version" in self.mgames("apply", str(path), **env)
        return str(doc["id"])


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """`mgames local` on free ports, with freshly built pages."""
    campaign = browser_demo(tmp_path_factory.mktemp("campaign"))
    build_pages()
    env = clean_env()
    proc, out = start_local(["--jobs-every", "0", "--campaign", str(campaign)], env)
    found = re.search(r"H5 pages.*?(http://\S+)/\n", out)
    dynamodb = re.search(r"DynamoDB \S+ \S+\s+(http://\S+)", out)
    console = re.search(r"web console\s+(http://\S+)/", out)
    assert found is not None and dynamodb is not None and console is not None, out
    yield Stack(found.group(1), dynamodb.group(1), env, console.group(1))
    stop_local(proc)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


DESKTOP: ViewportSize = {"width": 1280, "height": 900}
REFUSED_LOAD = re.compile(r"^Failed to load resource: the server responded with a status of (404|422)")
"""What Chromium logs for an answer refused as expected: a game switched off, a broken config."""
Console = Callable[[], Page]


@pytest.fixture
def console(browser: Browser, stack: Stack) -> Iterator[Console]:
    """`console()`: the web console in its own desktop-sized context, signed in with the local
    stack's one-click marketer credential; no page may log an error (but a refused config)."""
    errors: list[str] = []

    def open_console() -> Page:
        page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
        keep_errors(page, errors)
        page.goto(stack.console + "/")
        page.click("#local-token")
        page.wait_for_selector("#campaigns li[data-campaign='demo']")
        return page

    yield open_console
    unexpected = [e for e in errors if not (REFUSED_LOAD.match(e) and "422" in e)]
    assert not unexpected, json.dumps(unexpected, ensure_ascii=False)


class Player(Protocol):
    """Signs in a member (of a tier) on a page of its own: the `player` fixture."""

    def __call__(self, member: str, tier: str = "") -> Page: ...
REFUSED = "Failed to load resource: the server responded with a status of {status} "


@dataclass
class Refusals:
    """Refusals a test provokes on purpose. Chromium logs every 4xx answer as a console error:
    `expect(403, "/make-ups")` lets a 403 of a path ending so through, and requires it."""

    expected: dict[tuple[int, str], int] = field(default_factory=dict)

    def expect(self, status: int, path: str) -> None:
        self.expected.setdefault((status, path), 0)

    def allows(self, message: ConsoleMessage) -> bool:
        url = message.location.get("url", "")
        for status, path in self.expected:
            if message.text.startswith(REFUSED.format(status=status)) and url.endswith(path):
                self.expected[status, path] += 1
                return True
        return False


@pytest.fixture
def refusals() -> Refusals:
    return Refusals()


@pytest.fixture
def player(browser: Browser, stack: Stack, refusals: Refusals) -> Iterator[Player]:
    """`player(member, tier="")`: a phone-sized page of its own context, signed in as `member`
    (of `tier`) on the landing page; on teardown no page of its context may have logged a console error, but
    the refusals the test expects, and each of those must have happened."""
    errors: list[str] = []
    yield lambda member, tier="": sign_in(browser, stack, member, errors, refusals, tier)
    assert not errors, json.dumps(errors, ensure_ascii=False)
    missing = [f"{status} {path}" for (status, path), seen in refusals.expected.items() if not seen]
    assert not missing, f"expected refusals that never came: {missing}"


def sign_in(browser: Browser, stack: Stack, member: str, errors: list[str],
            refusals: Refusals | None = None, tier: str = "") -> Page:
    """A phone-sized page of its own context, signed in as `member` (of `tier`, "" for none)
    on the landing page; what
    it and the pages opened next in its context log as an error (but the `refusals` expected),
    and every error they throw, go to `errors`."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    context.on("page", lambda opened: keep_errors(opened, errors, refusals))
    page = context.new_page()
    page.goto(stack.url + "/")
    page.fill("#member", member)
    page.select_option("#tier", tier)
    page.click("#login button")
    page.wait_for_function("localStorage.getItem('mgames.member') !== null")
    assert member in page.inner_text("#who")
    return page


def keep_errors(page: Page, errors: list[str], refusals: Refusals | None = None) -> None:
    """Keep in `errors` what `page` logs as an error (but the `refusals` expected) and every
    error it throws."""
    page.on("console", lambda m: _keep_error(m, errors, refusals))
    page.on("pageerror", lambda e: errors.append(str(e)))


def _keep_error(message: ConsoleMessage, errors: list[str], refusals: Refusals | None) -> None:
    if message.type == "error" and (refusals is None or not refusals.allows(message)):
        errors.append(f"{message.text} at {message.location}")


def screenshot(page: Page, name: str) -> None:
    """Keep what the page shows now as docs/screenshots/<name>.png (the README shows them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)  # let transitions settle
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
