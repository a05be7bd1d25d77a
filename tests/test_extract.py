"""`nianbao extract`: the values a careful reader gets from the real pages, field by field."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest import EXAMPLES, ROOT, run_nianbao
from nianbao.model.assembler.tables import T3_COLUMNS, T4_COLUMNS
from nianbao.training.real_documents import load_gold
from report_2021 import APPLICATIONS, REVIEW, page

ZERO7 = dict.fromkeys(T3_COLUMNS, 0)
NULL7 = dict.fromkeys(T3_COLUMNS)
RESULT_ROWS_2019 = [
    "granted",
    "partially_granted",
    "denied_state_secret",
    "denied_prohibited_by_law",
    "denied_security_stability",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_files",
    "denied_inquiry",
    "unavailable_not_held",
    "unavailable_needs_creation",
    "unavailable_unclear",
    "rejected_complaint",
    "rejected_duplicate",
    "rejected_publication",
    "rejected_excessive",
    "rejected_confirmation",
    "other",
    "total",
]
ROWS_2019 = ["new_received", "carried_over", *RESULT_ROWS_2019, "carried_forward"]


@pytest.fixture(scope="module")
def extracted(pdf_texts) -> dict[str, dict]:
    """Every bundled example and the sample PDFs' texts extracted once by the real command,
    by file name."""
    result = run_nianbao("extract", str(EXAMPLES), str(pdf_texts))
    assert result.returncode == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    return {doc["source"]["path"].rsplit("/", 1)[-1]: doc for doc in docs}


def _doc(extracted: dict[str, dict], prefix: str) -> dict:
    (doc,) = [d for name, d in extracted.items() if name.startswith(prefix)]
    return doc


def _only(doc: dict) -> dict:
    assert doc["error"] is None
    (report,) = doc["reports"]
    return report


def test_seed_000_one_2019_report_rendered_four_times(extracted):
    doc = _doc(extracted, "000_")
    assert doc["source"]["encoding"] == "utf-8" and doc["source"]["n_lines"] == 1048
    r = _only(doc)
    assert r["title"] == "何家洞镇人民政府2020年政府信息公开年度报告"
    assert r["organization"] == "何家洞镇人民政府"
    assert (r["year"], r["template"]) == (2020, "2019")
    assert (r["report_date"], r["published_date"]) == ("2021-01-10", "2021-01-19")
    assert r["metadata"] == {"index_no": "4311230009/2021-00201", "publisher": "何家洞镇"}
    assert [s["key"] for s in r["sections"]] == [
        "preamble",
        "overview",
        "active_disclosure",
        "applications",
        "review_litigation",
        "problems_improvements",
        "other_matters",
    ]
    assert r["sections"][1]["text"].startswith("按照县委、县政府关于政务公开")
    assert "(一)完善政府信息公开工作领导小组" in r["sections"][1]["text"]
    t2 = r["tables"]["active_disclosure"]
    assert t2 == {
        "regulations": {"new_made": 0, "new_published": 0, "total_published": 0},
        "normative_documents": {"new_made": 0, "new_published": 1, "total_published": 1},
        "licensing": {"previous_count": 0, "change": 0, "decisions": 0},
        "other_services": {"previous_count": 0, "change": 0, "decisions": 0},
        "penalty": {"previous_count": 0, "change": 0, "decisions": 0},
        "coercion": {"previous_count": 0, "change": 0, "decisions": 0},
        "fees": {"previous_count": 0, "change": 0},
        "procurement": {"project_count": 0, "total_amount": 0},
    }
    t3 = r["tables"]["applications"]
    assert list(t3) == ROWS_2019
    for row in ("new_received", "carried_over", "carried_forward"):
        assert t3[row] == ZERO7, row
    for row in RESULT_ROWS_2019:
        assert t3[row] == NULL7, row  # cells present in the page, left empty
    assert r["tables"]["review_litigation"] == {
        g: dict.fromkeys(T4_COLUMNS)
        for g in ("review", "litigation_direct", "litigation_after_review")
    }
    assert r["figures"] == {"applications_received": 0}
    assert all(c["ok"] for c in r["checks"])
    assert {c["name"] for c in r["checks"]} == {
        "applications.row_sum.new_received",
        "applications.row_sum.carried_over",
        "applications.row_sum.carried_forward",
    }
    assert any("4 times" in w for w in r["warnings"])


def test_seed_001_values_extra_row_and_missing_header_words(extracted):
    r = _only(_doc(extracted, "001_"))
    assert r["title"] == "城关镇2020年政府信息公开工作年度报告"
    assert (r["organization"], r["year"], r["template"]) == ("城关镇", 2020, "2019")
    assert (r["report_date"], r["published_date"], r["metadata"]) == (None, None, {})
    t2 = r["tables"]["active_disclosure"]
    assert t2["other_services"] == {"previous_count": 213, "change": 6, "decisions": 12253}
    assert t2["extra_rows"] == [{"label": "其他主动公开文件", "values": [35, 35, 35]}]
    for row in ("regulations", "normative_documents", "licensing", "penalty", "coercion"):
        assert set(t2[row].values()) == {0}, row
    assert t2["fees"] == {"previous_count": 0, "change": 0}
    assert t2["procurement"] == {"project_count": 0, "total_amount": 0}
    t3 = r["tables"]["applications"]
    assert list(t3) == ROWS_2019
    assert all(values == ZERO7 for values in t3.values())
    assert r["tables"]["review_litigation"] == {
        g: dict.fromkeys(T4_COLUMNS, 0)
        for g in ("review", "litigation_direct", "litigation_after_review")
    }
    assert r["figures"] == {
        "active_disclosed": 203,
        "applications_received": 0,
        "reviews": 0,
        "lawsuits": 0,
    }
    assert len(r["checks"]) == 7 + 23 + 7 + 3 and all(c["ok"] for c in r["checks"])
    assert r["cell_lines"]["tables.active_disclosure.other_services.decisions"] == 125
    assert r["cell_lines"]["tables.active_disclosure.extra_rows.0.values.0"] == 95


def test_seed_002_ten_legacy_reports_on_one_page(extracted):
    doc = _doc(extracted, "002_")
    gold = load_gold()["002_b61ef283626af920.txt"].reports
    assert len(doc["reports"]) == len(gold) == 10
    for found, expected in zip(doc["reports"], gold, strict=True):
        for name in ("title", "organization", "year", "template", "report_date", "published_date"):
            assert found[name] == expected[name], (name, found[name], expected[name])
        assert found["tables"] == {}
    figures = [r["figures"] for r in doc["reports"]]
    assert figures[2]["active_disclosed"] == 15
    assert figures[3] == {
        "active_disclosed": 42,
        "applications_received": 0,
        "reviews": 0,
        "lawsuits": 0,
    }
    assert figures[5]["active_disclosed"] == 3836
    assert figures[9]["active_disclosed"] == 4621  # 本年度新增; the 累计 14316 is not the year's
    spans = [r["line_span"] for r in doc["reports"]]
    assert spans == sorted(spans) and all(a <= b for a, b in spans)


def test_seed_003_a_2012_legacy_report(extracted):
    r = _only(_doc(extracted, "003_"))
    assert r["title"] == "南安镇2012年政府信息公开年度报告"
    assert (r["organization"], r["year"], r["template"]) == ("南安镇人民政府", 2012, "legacy")
    assert r["report_date"] == "2013-01-29"  # written 2013129
    assert r["published_date"] is None
    assert r["figures"] == {"active_disclosed": 1238}
    assert [s["key"] for s in r["sections"]] == [
        "overview",
        "active_disclosure",
        "problems_improvements",
    ]
    assert r["tables"] == {} and r["checks"] == []


def test_seed_004_a_2017_legacy_report_rendered_twice(extracted):
    r = _only(_doc(extracted, "004_"))
    assert r["title"] == "河桥镇2017年度信息公开工作报告"
    assert (r["organization"], r["year"], r["template"]) == (
        "杭州市临安区河桥镇人民政府",
        2017,
        "legacy",
    )
    assert (r["report_date"], r["published_date"]) == ("2018-04-06", "2018-04-24")
    assert r["metadata"] == {"index_no": "002509011/2018-56405", "publisher": "河桥镇"}
    assert r["figures"] == {"active_disclosed": 60, "applications_received": 0}
    keys = [s["key"] for s in r["sections"]]
    assert keys[-3:] == ["problems_improvements", "plan", "appendix"]
    assert any("2 times" in w for w in r["warnings"])


def test_a_2024_report_converted_from_pdf_reads_completely(extracted):
    """szfgs_2024: labels split around their values, page numbers inside table 3."""
    r = _only(_doc(extracted, "szfgs_2024"))
    assert (r["organization"], r["year"], r["template"]) == ("淮安市人民政府", 2024, "2021")
    t3 = r["tables"]["applications"]
    assert list(t3["new_received"].values()) == [3001, 53, 0, 0, 61, 4, 3119]
    assert list(t3["partially_granted"].values()) == [447, 7, 0, 0, 0, 0, 454]
    assert list(t3["unavailable_not_held"].values()) == [746, 12, 0, 0, 10, 1, 769]
    assert list(t3["rejected_confirmation"].values()) == [1, 0, 0, 0, 0, 0, 1]
    assert list(t3["other_no_correction"].values()) == [67, 3, 0, 0, 1, 0, 71]
    assert list(t3["other_unpaid_fee"].values()) == [6, 0, 0, 0, 0, 0, 6]
    assert list(t3["other_misc"].values()) == [108, 2, 0, 0, 0, 0, 110]
    assert list(t3["total"].values()) == [2932, 53, 0, 0, 61, 4, 3050]
    assert list(t3["carried_forward"].values()) == [103, 0, 0, 0, 0, 0, 103]
    assert r["tables"]["review_litigation"]["review"] == {
        "upheld": 72,
        "corrected": 64,
        "other": 178,
        "pending": 37,
        "total": 351,
    }
    assert r["figures"]["reviews"] == 351 and r["figures"]["lawsuits"] == 46
    assert all(c["ok"] for c in r["checks"]), [c for c in r["checks"] if not c["ok"]]
    assert r["warnings"] == []


def test_an_error_in_the_report_itself_fails_its_check(extracted):
    """hongze_2023 prints 结果维持 10, 结果纠正 1 and 总计 0 for 行政复议."""
    r = _only(_doc(extracted, "hongze_2023"))
    (failed,) = [c for c in r["checks"] if c["name"] == "review_litigation.review.sum"]
    assert failed == {
        "name": "review_litigation.review.sum",
        "ok": False,
        "detail": "10 + 1 + 0 + 0 = 11; total 0",
    }


def test_every_number_points_at_the_line_it_came_from(extracted):
    for doc in extracted.values():
        lines = re.split(r"\r\n|\r|\n", (ROOT / doc["source"]["path"]).read_text(encoding="utf-8"))
        for report in doc["reports"]:
            for path, line_no in report["cell_lines"].items():
                node = report
                for key in path.split("."):
                    node = node[int(key)] if isinstance(node, list) else node[key]
                tokens = re.findall(r"[+\-]?\d+(?:\.\d+)?", lines[line_no - 1])
                if path.startswith("figures."):
                    if node == 0:
                        continue  # `没有收到申请`: a zero said in words
                    words = "一两三四五六七八九"  # `受理两项`: a small count in words
                    tokens += [str(words.index(c) + 1) for c in lines[line_no - 1] if c in words]
                assert any(float(t) == node for t in tokens), (doc["source"]["path"], path, line_no)


def _extract_page(tmp_path, html: str) -> dict:
    path = tmp_path / "qingshan.html"
    path.write_bytes(html.encode("gbk"))
    result = run_nianbao("extract", str(path))
    assert result.returncode == 0, result.stderr
    return _only(json.loads(result.stdout))


def test_a_2021_template_report_is_extracted_completely(tmp_path):
    r = _extract_page(tmp_path, page())
    assert r["title"] == "青山县教育局2021年政府信息公开工作年度报告"
    assert (r["organization"], r["year"], r["template"]) == ("青山县教育局", 2021, "2021")
    assert (r["report_date"], r["published_date"]) == ("2022-01-18", "2022-01-20")
    assert r["metadata"] == {
        "index_no": "QS-JYJ/2022-00031",
        "doc_no": "青教发〔2022〕3号",
        "publisher": "青山县教育局",
    }
    assert r["tables"]["active_disclosure"] == {
        "regulations": {"issued": 0, "repealed": 0, "in_force": 2},
        "normative_documents": {"issued": 4, "repealed": 1, "in_force": 23},
        "licensing": {"decisions": 356},
        "penalty": {"decisions": 78},
        "coercion": {"decisions": 5},
        "fees": {"amount": 12.5},
    }
    assert r["tables"]["applications"] == {
        row: dict(zip(T3_COLUMNS, values, strict=True)) for row, values in APPLICATIONS.items()
    }
    assert r["tables"]["review_litigation"] == {
        group: dict(zip(T4_COLUMNS, values, strict=True)) for group, values in REVIEW.items()
    }
    assert r["figures"] == {
        "active_disclosed": 512,
        "applications_received": 46,
        "reviews": 4,
        "lawsuits": 2,
        "fees_collected": 0,  # 本机关未收取信息处理费; table 2's 12.5 万元 is administrative fees
    }
    assert len(r["checks"]) == 7 + 25 + 7 + 3
    assert all(c["ok"] for c in r["checks"])
    assert r["warnings"] == []


def test_numbers_that_break_an_identity_fail_the_check_that_names_them(tmp_path):
    applications = {k: list(v) for k, v in APPLICATIONS.items()}
    applications["new_received"][6] = 47  # the row adds up to 46
    review = {k: list(v) for k, v in REVIEW.items()}
    review["review"][4] = 5  # 2 + 1 + 0 + 1 = 4
    r = _extract_page(tmp_path, page(applications, review))
    failed = {c["name"]: c["detail"] for c in r["checks"] if not c["ok"]}
    assert failed == {
        "applications.row_sum.new_received": "40 + 3 + 0 + 1 + 0 + 2 = 46; total 47",
        "applications.balance.total": "new_received 47 + carried_over 2 = 49; total 43 + carried_forward 5 = 48",
        "review_litigation.review.sum": "2 + 1 + 0 + 1 = 4; total 5",
    }


def test_extract_to_parquet_and_csv_gives_one_row_per_report(seeds, tmp_path):
    for suffix in ("parquet", "csv"):
        out = tmp_path / f"out.{suffix}"
        result = run_nianbao("extract", *map(str, seeds), "-o", str(out))
        assert result.returncode == 0, result.stderr
        frame = pd.read_parquet(out) if suffix == "parquet" else pd.read_csv(out)
        assert len(frame) == 1 + 1 + 10 + 1 + 1
        row = frame[frame["source.path"].str.contains("001_")].iloc[0]
        assert row["tables.active_disclosure.other_services.decisions"] == 12253
        assert row["tables.active_disclosure.other_services.change"] == 6
        assert row["organization"] == "城关镇"
        assert json.loads(row["checks"])[0]["ok"] is True
        assert not list(tmp_path.glob(".out.*"))  # no temporary file left behind


def test_a_bad_document_gets_its_error_record_and_the_batch_goes_on(seeds, tmp_path):
    junk = tmp_path / "broken.html"
    junk.write_bytes(b"\x00\x00\xff\xfe\x00binary" * 100)
    out = tmp_path / "out.jsonl"
    result = run_nianbao("extract", str(junk), str(seeds[3]), "-o", str(out))
    assert result.returncode == 1
    assert (
        "1 of 2 documents could not be read" in result.stderr and "Traceback" not in result.stderr
    )
    bad, good = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert bad["reports"] == [] and bad["error"] == "the file is binary, not text or HTML"
    assert good["error"] is None and good["reports"][0]["figures"]["active_disclosed"] == 1238


def test_an_unknown_output_format_is_a_usage_error(seeds, tmp_path):
    result = run_nianbao("extract", str(seeds[0]), "-o", str(tmp_path / "out.xlsx"))
    assert result.returncode == 2 and "unknown output format" in result.stderr


def test_one_rule_for_outputs_nothing_is_overwritten_and_resuming_counts_these_inputs(
    seeds, tmp_path
):
    import stat
    import subprocess

    from conftest import nianbao_command

    def nianbao(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*nianbao_command(), *args], capture_output=True, text=True)

    table = tmp_path / "reports.parquet"
    assert nianbao("extract", str(seeds[0]), "-o", str(table)).returncode == 0
    assert stat.S_IMODE(table.stat().st_mode) == 0o644  # as any file the user writes
    before = table.read_bytes()
    again = nianbao("extract", str(seeds[1]), "-o", str(table))
    assert again.returncode == 2 and "exists: an output is never overwritten" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1 and table.read_bytes() == before

    wrong = nianbao("label", str(seeds[0]), "-o", str(tmp_path / "labels.parquet"))
    assert wrong.returncode == 2 and "nianbao label writes JSONL" in wrong.stderr
    assert not (tmp_path / "labels.parquet").exists()

    records = tmp_path / "out.jsonl"
    assert nianbao("extract", str(seeds[0]), str(seeds[1]), "-o", str(records)).returncode == 0
    other = nianbao("extract", str(seeds[2]), "-o", str(records))
    assert other.returncode == 0
    assert (
        "resuming; 0 of these 1 documents already done; it also holds 2 documents that are"
        " not among them" in other.stderr
    )


def test_a_pdfs_cell_pages_are_one_json_column_like_cell_lines(tmp_path):
    import pandas as pd
    from conftest import SHARED

    out = tmp_path / "pdf.parquet"
    result = run_nianbao("extract", str(SHARED / "samples" / "hongze_2024.pdf"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    columns = list(pd.read_parquet(out).columns)
    assert "cell_pages" in columns and "cell_lines" in columns
    assert not [c for c in columns if c.startswith(("cell_pages.", "cell_lines."))]
    pages = json.loads(pd.read_parquet(out)["cell_pages"][0])
    assert pages["tables.applications.new_received.total"] >= 1
