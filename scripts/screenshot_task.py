"""Take the README's screenshot of a pushed task with its pre-annotations, so it stays true.

Starts a throw-away Label Studio on 127.0.0.1, pushes a seed page with the shipped model's
predictions, logs in with headless Chromium and photographs the task:

    .venv/bin/python scripts/screenshot_task.py docs/

Needs Debian's chromium and fonts-noto-cjk (`apt-get install chromium fonts-noto-cjk`)
and `pip install playwright`; Label Studio as README says.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nianbao.annotations.loop import connect, project_tasks, push  # noqa: E402
from nianbao.annotations.server import LabelStudioServer  # noqa: E402
from nianbao.model.labeller import load_model  # noqa: E402

USER, PASSWORD, TOKEN = "admin@example.com", "screenshot-pass-123", "screenshot-token-0123456789"


def collapsed(page: Path, folder: Path) -> Path:
    """The page as scrapers often get it: its body run together on one line."""
    lines = [x.strip() for x in page.read_text(encoding="utf-8").splitlines() if x.strip()]
    out = folder / f"{page.stem}_one_line.txt"
    out.write_text("\n".join(lines[:3] + [" ".join(lines[3:])]) + "\n", encoding="utf-8")
    return out


def main(out_dir: Path) -> None:
    """Two real tasks: seed 003 as published, and the same page with its body on one line
    (pushed as the pieces the labeller cut it into)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with (
        tempfile.TemporaryDirectory() as data,
        LabelStudioServer(data, port, TOKEN, USER, PASSWORD) as url,
    ):
        client = connect(url, TOKEN)
        seed = REPO / "examples" / "003_93b9769eac279042.txt"
        pages = {
            "label-studio-task.png": seed,
            "label-studio-pieces.png": collapsed(seed, Path(data)),
        }
        shots = {}
        for name, page in pages.items():
            result = push([page], name.removesuffix(".png"), load_model(), client)
            shots[name] = (result.project_id, project_tasks(client, result.project_id)[0]["id"])
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/user/login/")
            page.fill("input[name=email]", USER)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            out_dir.mkdir(parents=True, exist_ok=True)
            for name, (project, task) in shots.items():
                page.goto(f"{url}/projects/{project}/data?task={task}")
                page.wait_for_timeout(6000)
                page.screenshot(path=str(out_dir / name))
                print(f"wrote {out_dir / name}")
            browser.close()


if __name__ == "__main__":
    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        print(__doc__)
        raise SystemExit(0)
    main(Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "docs"))
