"""Hypothesis profiles: ``default`` keeps the normal test run fast; ``fuzz`` is the long run.

    PLANDIFF_FUZZ=1 python -m pytest tests/test_properties.py     # many more examples each

``PLANDIFF_FUZZ`` may also be a number of examples per property (``PLANDIFF_FUZZ=20000``).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from hypothesis import HealthCheck, settings

# The registry cache (plandiff/record_cache.py) of every test, and of every plandiff process a
# test starts, lives in a directory of this run's own: tests never write to the real home.
os.environ["PLANDIFF_CACHE_DIR"] = tempfile.mkdtemp(prefix="plandiff-test-cache-")
atexit.register(shutil.rmtree, os.environ["PLANDIFF_CACHE_DIR"], ignore_errors=True)

settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,  # a cold cache (first regex build, first import) must not fail a property
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
_fuzz = os.environ.get("PLANDIFF_FUZZ", "")
settings.register_profile(
    "fuzz",
    max_examples=int(_fuzz) if _fuzz.isdigit() and int(_fuzz) > 1 else 3000,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
settings.load_profile("fuzz" if _fuzz else "default")


# --------------------------------------------------------------------------- golden files
# Golden files live in tests/golden/ and change only with `pytest --update-goldens`.

import re  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

GOLDEN_DIR = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/* from the current output instead of comparing with them.",
    )


_STYLE = re.compile(r"(<style>).*?(</style>)", re.S)


def _unstyled(page: str) -> str:
    """An HTML page without its style sheet, which every page carries whole: the sheet has a
    golden file of its own (style.css), so here it is only checked to be that sheet."""
    from plandiff.render.html.style import CSS

    found = _STYLE.search(page)
    assert found is not None and found.group(0) == f"<style>{CSS}</style>", "not the style sheet"
    return _STYLE.sub(r"\1/* tests/golden/style.css */\2", page, count=1)


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """``golden(name, actual)``: compare with tests/golden/<name>, or rewrite it when asked."""
    update = request.config.getoption("--update-goldens")

    def check(name: str, actual: str) -> None:
        if name.endswith(".html"):
            actual = _unstyled(actual)
        path = GOLDEN_DIR / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="")
            return
        assert path.exists(), f"no golden file {path}; run pytest --update-goldens to create it"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"output differs from {path} (pytest --update-goldens)"

    return check


# --------------------------------------------------------------------------- browser tests
# The browser tests skip where no Chromium is installed; CI must show that they ran, so the
# run ends with one line saying how many passed, failed or skipped (and why), and how long
# they took together.

BROWSER_TESTS = "tests/test_html_browser.py"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    outcomes: dict[str, int] = {}
    seconds = 0.0
    reasons: set[str] = set()
    # Passing set-ups and tear-downs (the browser's start) are filed under "".
    for name in ("passed", "failed", "error", "skipped", ""):
        for report in terminalreporter.stats.get(name, []):
            if not getattr(report, "nodeid", "").startswith(BROWSER_TESTS):
                continue
            seconds += getattr(report, "duration", 0.0)
            if name and (report.when == "call" or name != "passed"):
                outcomes[name] = outcomes.get(name, 0) + 1
            if name == "skipped" and isinstance(report.longrepr, tuple):
                reasons.add(str(report.longrepr[2]).removeprefix("Skipped: "))
    if not outcomes:
        return
    counts = ", ".join(f"{n} {name}" for name, n in outcomes.items())
    why = f" ({'; '.join(sorted(reasons))})" if reasons else ""
    terminalreporter.write_line(f"browser tests: {counts} in {seconds:.1f} s{why}")
