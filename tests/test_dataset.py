"""`nianbao dataset` over the real documents (seeds, samples, corpus) plus the duplicates a
scraper meets, made here: the same report as text and as HTML (the corpus has such pairs),
a re-scrape with other page furniture, a copy with one cell changed, another body's copy
of the same boilerplate; and two consecutive years of a body, consistent or not."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import CORPUS, EXAMPLES, ROOT, SHARED, run_nianbao

SEED = EXAMPLES / "000_d12555345b50555c.txt"  # 何家洞镇人民政府, 2020 (gold/seeds)


@pytest.fixture(scope="module")
def scraped(tmp_path_factory) -> Path:
    """The real documents and the duplicates made from seed 000."""
    folder = tmp_path_factory.mktemp("scraped")
    for source in (EXAMPLES, SHARED / "samples", CORPUS):
        shutil.copytree(source, folder / source.name, ignore=shutil.ignore_patterns("*.md"))
    text = SEED.read_text(encoding="utf-8")
    made = folder / "made"
    made.mkdir()
    furniture = "网站首页 | 政务公开 | 互动交流\n当前位置：首页 > 政府信息公开年报\n"
    (made / "rescrape.txt").write_text(
        furniture + text + "\n版权所有 网站标识码\n", encoding="utf-8"
    )
    (made / "changed.txt").write_text(_first_new_received_cell_set_to_7(text), encoding="utf-8")
    other = text.replace("何家洞镇", "白芒营镇")  # the same boilerplate, another body
    (made / "other_body.txt").write_text(other, encoding="utf-8")
    return folder


def _first_new_received_cell_set_to_7(text: str) -> str:
    """Seed 000 prints its report four times (one cell per line, or a row per line): its
    first applicant cell of 本年新收 becomes 7 in every rendering."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "本年新收政府信息公开申请数量" not in line:
            continue
        rest = line.split("本年新收政府信息公开申请数量", 1)[1]
        if rest.strip():
            lines[i] = line.replace(rest, rest.replace("0", "7", 1), 1)
        else:
            j = next(k for k in range(i + 1, len(lines)) if lines[k].strip())
            lines[j] = lines[j].replace("0", "7", 1)
    return "\n".join(lines)


@pytest.fixture(scope="module")
def dataset(scraped, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dataset")
    result = run_nianbao("dataset", str(scraped), "-o", str(out), "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert "reports (one per body and year)" in result.stderr
    return out


def test_one_row_per_body_and_year_with_every_source(dataset, scraped):
    reports = pd.read_parquet(dataset / "reports.parquet")
    placed = reports[reports["body"].notna() & reports["year"].notna()]
    assert not placed.duplicated(["body", "year"]).any()
    seed = reports.set_index("report_id").loc["何家洞镇人民政府|2020"]
    sources = {Path(s["path"]).name for s in json.loads(seed["sources"])}
    assert sources == {SEED.name, "rescrape.txt"}  # the re-scrape is the same report
    assert seed["copies"] == 2 and seed["disagreeing_copies"] == 1
    (conflict,) = json.loads(seed["conflicts"])
    assert conflict["cell"] == "tables.applications.new_received.natural_person"
    assert (conflict["value"], conflict["other_value"]) == (0, 7)
    assert conflict["other_source"].endswith("changed.txt")
    for pair in ("平潭综合实验区市场监督管理局|2021", "平潭综合实验区财政金融局|2022"):
        row = reports.set_index("report_id").loc[pair]  # its text page and its HTML page
        formats = sorted(s["format"] for s in json.loads(row["sources"]))
        assert formats == ["html", "txt"] and row["disagreeing_copies"] == 0
    assert "白芒营镇人民政府|2020" in set(reports["report_id"])  # boilerplate, another body
    copies = pd.read_parquet(dataset / "copies.parquet")
    assert copies["sha256"].notna().all() and copies["chosen"].sum() == len(reports)


def test_bodies_are_named_one_way_and_placed_in_the_divisions(dataset):
    bodies = pd.read_csv(dataset / "bodies.csv", dtype=str).set_index("alias")
    assert bodies.loc["洪泽区人民政府", "canonical"] == "淮安市洪泽区人民政府"
    hongze = bodies.loc["淮安市洪泽区人民政府"]
    assert (hongze["province"], hongze["city"], hongze["county"]) == ("江苏省", "淮安市", "洪泽区")
    assert str(hongze["division_code"]) == "320813"
    pingtan = bodies.loc["平潭综合实验区财政金融局"]
    assert (pingtan["county"], str(pingtan["division_code"])) == ("平潭县", "350128")
    assert pd.isna(bodies.loc["城关镇", "division_code"])  # no division named: not placed


def test_a_corrected_alias_table_is_used_on_the_rerun(dataset, scraped, tmp_path):
    out = tmp_path / "again"
    shutil.copytree(dataset, out)
    bodies = pd.read_csv(out / "bodies.csv", dtype=str)
    bodies.loc[bodies["alias"] == "城关镇", "canonical"] = "道县城关镇人民政府"
    bodies.to_csv(out / "bodies.csv", index=False)
    result = run_nianbao("dataset", str(scraped), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "extract" not in result.stderr  # every document already has its record
    reports = pd.read_parquet(out / "reports.parquet").set_index("report_id")
    assert reports.loc["道县城关镇人民政府|2020", "county"] == "道县"
    again = pd.read_csv(out / "bodies.csv", dtype=str).set_index("alias")
    assert again.loc["城关镇", "canonical"] == "道县城关镇人民政府"  # the correction stays


def test_the_duckdb_views_answer_a_researchers_first_questions(dataset):
    with duckdb.connect(str(dataset / "dataset.duckdb"), read_only=True) as db:
        tables = {r[0] for r in db.execute("SHOW TABLES").fetchall()}
        assert {"reports", "cells", "checks", "copies", "bodies"} <= tables
        per_year = db.execute(
            "SELECT new_applications FROM applications_per_year"
            " WHERE body = '淮安市人民政府' AND year = 2024"
        ).fetchall()
        gold = json.loads((Path("annotations/gold/samples/szfgs_2024.json")).read_text("utf-8"))
        assert per_year == [(gold_value(gold, "tables.applications.new_received.total"),)]
        shares = db.execute(
            "SELECT sum(share) FROM outcome_shares WHERE body = '淮安市人民政府' AND year = 2024"
        ).fetchone()[0]
        assert shares == pytest.approx(1.0)
        failing = dict(
            db.execute("SELECT report_id, checks FROM reports_failing_checks").fetchall()
        )
        assert "copies_agree" in failing["何家洞镇人民政府|2020"]
        cell = db.execute(
            "SELECT value, line, source FROM cells WHERE report_id = '何家洞镇人民政府|2020'"
            " AND table_name = 'applications' AND row_name = 'new_received'"
            " AND column_name = 'natural_person'"
        ).fetchone()
        assert cell[0] == 0 and cell[1] > 0 and cell[2].endswith(SEED.name)


def gold_value(gold: dict, path: str):
    node = gold["reports"][0] if "reports" in gold else gold
    for key in path.split("."):
        node = node[key]
    return node


def _records_of(tmp_path: Path, document: Path) -> dict:
    out = tmp_path / "one.jsonl"
    assert run_nianbao("extract", str(document), "-o", str(out)).returncode == 0
    return json.loads(out.read_text(encoding="utf-8"))


def _next_year(record: dict, body: str, year: int, carried_over: dict) -> dict:
    record = json.loads(json.dumps(record))
    record["source"]["path"] = f"made/{body}_{year}.pdf"
    record["source"]["sha256"] = hashlib.sha256(f"{body}{year}".encode()).hexdigest()
    report = record["reports"][0]
    report["organization"], report["year"] = body, year
    report["tables"]["applications"]["carried_over"].update(carried_over)
    return record


def test_carried_over_is_checked_against_the_year_before(tmp_path):
    real = _records_of(tmp_path, SHARED / "samples" / "szfgs_2024.pdf")  # carries 103 forward
    forward = real["reports"][0]["tables"]["applications"]["carried_forward"]
    assert forward["natural_person"] == 103
    consistent = _next_year(real, "淮安市人民政府", 2025, dict(forward))
    other_2024 = _next_year(real, "宿迁市人民政府", 2024, {})
    mismatch = _next_year(real, "宿迁市人民政府", 2025, {"natural_person": 100, "total": 100})
    given = tmp_path / "earlier-extract.jsonl"
    given.write_text(
        "".join(
            json.dumps(r, ensure_ascii=False) + "\n"
            for r in (real, consistent, other_2024, mismatch)
        ),
        encoding="utf-8",
    )
    out = tmp_path / "panel"
    result = run_nianbao("dataset", str(given), "-o", str(out))
    assert result.returncode == 0, result.stderr
    checks = pd.read_parquet(out / "checks.parquet")
    cross = checks[checks["name"].str.startswith("cross_year.carried_over")]
    ok = cross[cross["body"] == "淮安市人民政府"]
    assert len(ok) == 7 and ok["ok"].all()
    bad = cross[(cross["body"] == "宿迁市人民政府") & ~cross["ok"]].set_index("name")
    assert set(bad.index) == {
        "cross_year.carried_over.natural_person",
        "cross_year.carried_over.total",
    }
    row = bad.loc["cross_year.carried_over.natural_person"]
    assert (row["value"], row["expected"]) == (100, 103)
    assert "100" in row["detail"] and "103" in row["detail"] and "2024" in row["detail"]
    # table 2 of the 2025 copy repeats 2024's: 11 in force, not 11 + 1 issued - 0 repealed
    in_force = checks[checks["name"] == "cross_year.in_force.regulations"]
    warned = in_force[in_force["body"] == "淮安市人民政府"].iloc[0]
    assert not warned["ok"] and warned["severity"] == "warning"
    assert (warned["value"], warned["expected"]) == (11, 12)


def test_the_summary_page_renders_its_plots_in_a_real_browser(dataset, tmp_path):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install Debian's chromium (.ci/run does)")
        pytest.skip("no chromium here: apt-get install chromium fonts-noto-cjk")
    page_file = dataset / "summary.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=_chromium_flags())
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        outside: list[str] = []
        page.on(
            "request", lambda r: outside.append(r.url) if not r.url.startswith("file:") else None
        )
        page.goto(page_file.as_uri())
        plots = page.locator("figure.plot svg")
        assert plots.count() == 3
        for i in range(3):
            box = plots.nth(i).bounding_box()
            assert box["width"] > 300 and box["height"] > 100
            assert plots.nth(i).locator("path, rect, image, use").count() > 5
        assert page.locator("#least-confident tr").count() > 5
        shot = tmp_path / "summary.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert outside == []  # self-contained: nothing fetched
    assert shot.stat().st_size > 20_000


def _chromium_flags() -> list[str]:
    """The flags the screenshot script starts Chromium with (no network, no sandbox)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "shot", ROOT / "scripts" / "screenshot_summary.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script.FLAGS
