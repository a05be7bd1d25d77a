"""nianbao as a user installs it: the wheel, not this checkout. The wheel is built here,
unpacked into a folder of its own and run from outside the repository, so a module the
wheel lacks (as `model/assembler/` once was) fails here; a setuptools warning fails too.
`.ci/run` also installs the checkout into a fresh venv with `pip install .` and runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import EXAMPLES, ROOT, run_nianbao


def test_the_built_wheel_extracts_the_examples_from_outside_the_checkout(tmp_path):
    pip = [sys.executable, "-m", "pip"]
    build = subprocess.run(
        [*pip, "wheel", "--no-deps", str(ROOT), "-w", str(tmp_path / "w")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    said = build.stdout + build.stderr
    warnings = [x for x in said.splitlines() if "warn" in x.lower() and "Location" not in x]
    assert warnings == [], "\n".join(warnings)
    (wheel,) = (tmp_path / "w").glob("nianbao-*.whl")
    target = tmp_path / "installed"
    install = subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    names = sorted(
        p.name
        for p in target.iterdir()
        if not p.name.endswith(".dist-info") and p.name not in ("__pycache__", "bin")
    )
    assert names == ["nianbao", "nianbao_cli.py"]  # our names only (bin/: the script)
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, nianbao.model, nianbao_cli;"
            " assert nianbao.model.__file__.startswith(sys.argv[1]), nianbao.model.__file__;"
            " sys.argv = ['nianbao', 'extract', sys.argv[2]]; sys.exit(nianbao_cli.main(sys.argv[1:]))",
            str(target),
            str(EXAMPLES),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    from_wheel = [json.loads(line) for line in run.stdout.splitlines()]
    from_checkout = [
        json.loads(x) for x in run_nianbao("extract", str(EXAMPLES)).stdout.splitlines()
    ]
    assert len(from_wheel) == 5
    assert [r["reports"] for r in from_wheel] == [r["reports"] for r in from_checkout]
