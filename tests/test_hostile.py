"""Hostile input: junk, huge and slow pages, pages that are not reports, personal data.

Every case answers quickly with a result or a one-line error, and never costs another
document its result.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, assert_valid_document, run_nianbao
from nianbao.model.labeller import Labeller, load_model
from nianbao.model.limits import Limits
from nianbao.model.pipeline import extract_bytes

NOT_REPORTS = sorted((ROOT / "tests" / "data" / "not_reports").glob("*.html"))


@pytest.fixture(scope="module")
def labeller() -> Labeller:
    return load_model()


def _records(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


# --- pages that are not annual reports ----------------------------------------------------


@pytest.mark.parametrize("page", NOT_REPORTS, ids=lambda p: p.stem)
def test_a_page_that_is_not_a_report_gets_no_report_and_a_reason(page):
    result = run_nianbao("extract", str(page))
    assert result.returncode == 0, result.stderr
    (record,) = _records(result)
    assert record["reports"] == []
    assert record["error"] is None
    (reason,) = record["warnings"]
    assert reason.startswith("no report found")
    if page.stem == "list":
        assert "list page" in reason
    if page.stem == "guide":  # 政府信息公开指南: the same section names as a report
        assert "a disclosure guide" in reason


# --- limits ---------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_gets_its_error_without_being_read(tmp_path, seeds):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (3 * 2**20))
    result = run_nianbao("extract", str(big), str(seeds[3]), "--max-mb", "2")
    assert result.returncode == 1
    big_record, seed_record = _records(result)
    assert big_record["error"] == "the file is 3.0 MB, over the limit of 2 MB (--max-mb)"
    assert seed_record["error"] is None and seed_record["reports"]


def test_a_document_over_the_line_limit_gets_its_error(seeds):
    result = run_nianbao("extract", str(seeds[0]), "--max-lines", "100")
    assert result.returncode == 1
    (record,) = _records(result)
    assert record["error"].endswith("over the limit of 100 (--max-lines)")
    assert record["error"].startswith("the document has ")


def test_a_document_over_the_time_limit_gets_its_error(seeds):
    result = run_nianbao("extract", str(seeds[2]), str(seeds[3]), "--time-limit", "0.001")
    assert result.returncode == 1
    records = _records(result)
    assert [r["error"] for r in records] == [
        "the document took more than the time limit of 0.001 s (--time-limit)"
    ] * 2


def test_the_limits_also_guard_the_label_command(seeds):
    result = run_nianbao("label", str(seeds[0]), str(seeds[3]), "--max-lines", "100")
    assert result.returncode == 1
    first, *rest = _records(result)
    assert first["source"]["path"] == str(seeds[0]) and first["error"].endswith("(--max-lines)")
    assert rest and all(r["source"] == str(seeds[3]) for r in rest)


def test_deeply_nested_html_is_read_without_recursion_or_hanging(labeller):
    page = (
        "<html><body>" + "<div>" * 100_000 + "一、总体情况" + "</div>" * 100_000 + "</body></html>"
    )
    started = time.monotonic()
    record = extract_bytes(page.encode(), "deep.html", labeller, Limits(seconds=30))
    assert time.monotonic() - started < 30
    assert_valid_document(record)


def test_an_entity_bomb_is_not_expanded(labeller):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "一二三四五六七八九十">'
        + "".join(
            f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "]><html><body><p>&i;</p></body></html>"
    )
    record = extract_bytes(bomb.encode(), "bomb.html", labeller)
    assert_valid_document(record)
    assert len(json.dumps(record, ensure_ascii=False)) < 10_000  # 10^9 characters if expanded


def test_a_table_of_ten_thousand_rows_is_answered_within_its_time_limit(labeller):
    rows = "".join(f"<tr><td>行{i}</td><td>{i}</td><td>{i * 2}</td></tr>" for i in range(10_000))
    page = f"<html><body><p>一、总体情况</p><table>{rows}</table></body></html>".encode()
    started = time.monotonic()
    record = extract_bytes(page, "rows.html", labeller, Limits(seconds=20))
    assert time.monotonic() - started < 25
    assert_valid_document(record)


# --- a batch of everything at once ----------------------------------------------------------


def test_a_mixed_folder_extracts_every_good_report_and_records_every_bad_file(seeds, tmp_path):
    folder = tmp_path / "scraped"
    folder.mkdir()
    (folder / "a_report.txt").write_bytes(seeds[0].read_bytes())
    (folder / "b_report.html").write_bytes(
        f"<html><body><pre>{seeds[3].read_text(encoding='utf-8')}</pre></body></html>".encode(
            "gb18030"
        )
    )
    (folder / "c_junk.html").write_bytes(bytes(range(256)) * 64)
    (folder / "d_empty.txt").write_bytes(b"")
    (folder / "e_one_line.txt").write_bytes(("公开" * 5 + "0123456789").encode() * 838_861)  # 20 MB
    (folder / "f_news.html").write_bytes((ROOT / "tests/data/not_reports/news.html").read_bytes())

    result = run_nianbao("extract", str(folder), "-o", str(tmp_path / "out.jsonl"))

    assert result.returncode == 1
    records = {
        Path(r["source"]["path"]).name: r
        for r in map(json.loads, (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines())
    }
    assert sorted(records) == sorted(p.name for p in folder.iterdir())
    assert records["a_report.txt"]["reports"][0]["year"] == 2020
    assert records["b_report.html"]["reports"][0]["organization"]
    assert records["c_junk.html"]["error"] == "the file is binary, not text or HTML"
    assert records["d_empty.txt"]["error"] == "the file is empty"
    assert "over the limit of 10 MB" in records["e_one_line.txt"]["error"]
    assert records["f_news.html"]["error"] is None and records["f_news.html"]["reports"] == []
    assert "3 of 6 documents could not be read" in result.stderr


# --- personal data -------------------------------------------------------------------------


def test_redact_masks_mobile_numbers_in_every_output(seeds, tmp_path):
    plain = run_nianbao("label", str(seeds[4]))
    masked = run_nianbao("label", str(seeds[4]), "--redact")
    assert "13336100078" in plain.stdout  # seed 004 publishes an official's mobile number
    assert "13336100078" not in masked.stdout
    assert "15355021926" not in masked.stdout
    mobiles = re.findall(r"(?<!\d)1[3-9]\d{9}(?!\d)", plain.stdout)
    assert masked.stdout.count("[手机号已隐去]") == len(mobiles) >= 3


def test_redact_masks_phones_and_mails_in_extracted_report_text(seeds, tmp_path):
    text = seeds[3].read_text(encoding="utf-8")
    anchor = next(line for line in text.splitlines() if line.endswith("。") and len(line) > 30)
    contact = "联系人王某，手机138 1234 5678，邮箱 wang.mou@example.gov.cn，办公电话0571-63614316。"
    page = tmp_path / "contact.txt"
    page.write_text(text.replace(anchor, anchor + contact, 1), encoding="utf-8")

    plain = json.dumps(_records(run_nianbao("extract", str(page)))[0], ensure_ascii=False)
    masked = json.dumps(
        _records(run_nianbao("extract", str(page), "--redact"))[0], ensure_ascii=False
    )
    assert "138 1234 5678" in plain and "wang.mou@example.gov.cn" in plain
    assert "138 1234 5678" not in masked and "wang.mou@example.gov.cn" not in masked
    assert "[手机号已隐去]" in masked and "[邮箱已隐去]" in masked
    assert "0571-63614316" in masked  # an office landline is the body's published contact


def test_the_service_answers_json_with_a_lone_surrogate_with_422(service):
    # Found by the fuzz test: JSON may escape a lone surrogate, which no text encoding holds.
    answer = httpx.post(
        f"{service}/v1/extract",
        content=b'{"text": "\\ud800\\u4e00"}',
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 422
    assert answer.json() == {"error": "the text holds invalid Unicode (a lone surrogate)"}


def test_the_service_redacts_on_request(service, seeds):
    page = {"text": seeds[4].read_text(encoding="utf-8")}
    plain = httpx.post(f"{service}/v1/label", json=page, timeout=120).text
    masked = httpx.post(f"{service}/v1/label?redact=true", json=page, timeout=120).text
    assert "13336100078" in plain
    assert "13336100078" not in masked and "[手机号已隐去]" in masked


def test_a_legacy_report_that_never_names_its_year_is_still_a_report(seeds, tmp_path):
    # Seed 002's third report (县教育局) says neither its year nor 报告: alone on a page
    # it must not be mistaken for a disclosure guide.
    lines = seeds[2].read_text(encoding="utf-8").splitlines()
    page = tmp_path / "alone.txt"
    page.write_text("\n".join(lines[53:100]) + "\n", encoding="utf-8")  # 篇3, without 篇4
    (record,) = _records(run_nianbao("extract", str(page)))
    (report,) = record["reports"]
    assert report["year"] is None and report["organization"] == "县教育局"
    assert report["figures"]["active_disclosed"] == 15


@pytest.mark.parametrize(
    "variable, value, says",
    [
        ("NIANBAO_MAX_MB", "abc", "valid number"),
        ("NIANBAO_TIME_LIMIT", "-1", "greater than 0"),
        ("NIANBAO_MAX_LINES", "1.5", "valid integer"),
    ],
)
def test_a_bad_setting_in_the_environment_is_a_one_line_error(seeds, variable, value, says):
    import os
    import subprocess

    from conftest import ROOT, nianbao_command

    result = subprocess.run(
        [*nianbao_command(), "extract", str(seeds[3])],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, variable: value},
    )
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"nianbao: error: {variable}: ") and says in line


def test_every_setting_is_in_readmes_table():
    from conftest import ROOT
    from nianbao.model.settings import documented

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for variable, default, meaning in documented():
        assert f"| `{variable}` | {default or '-'} | {meaning} |" in readme, variable
