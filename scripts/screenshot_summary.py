"""Photograph a dataset's summary page in headless Chromium, for README (not a test):

    .venv/bin/python scripts/screenshot_summary.py DIR/summary.html docs/dataset-summary.png

Needs Debian's chromium and fonts-noto-cjk (`apt-get install chromium fonts-noto-cjk`)
and playwright (in the project's test extra).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        print(__doc__)
        return
    if len(sys.argv) != 3:
        raise SystemExit("usage: screenshot_summary.py DIR/summary.html OUT.png")
    page_file, shot = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit(
            "screenshot_summary: no chromium (apt-get install chromium fonts-noto-cjk)"
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(page_file.as_uri())
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    print(f"wrote {shot}")


if __name__ == "__main__":
    main()
