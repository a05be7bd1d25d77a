"""Assembler rules one at a time: dates, section keys, copies that disagree."""

from __future__ import annotations

import json

import pytest
from conftest import run_nianbao
from nianbao.model.assembler.dates import parse_date
from nianbao.model.assembler.sections import section_key


@pytest.mark.parametrize(
    "written, year, expected",
    [
        ("20211月10日", 2020, "2021-01-10"),
        ("202012月31日", 2020, "2020-12-31"),
        ("2013129", 2012, "2013-01-29"),  # not 2013-12-09: past the deadline for a 2012 report
        ("2018年4月6日", 2017, "2018-04-06"),
        ("2021-01-19 16:56", 2020, "2021-01-19"),
        ("发布时间：2022-01-20", 2021, "2022-01-20"),
    ],
)
def test_dates_are_repaired_where_characters_were_dropped(written, year, expected):
    assert parse_date(written, year) == (expected, False)


def test_a_date_with_two_equally_plausible_readings_is_flagged():
    date, ambiguous = parse_date("2013111", None)  # 2013-1-11 or 2013-11-1, year unknown
    assert date in ("2013-01-11", "2013-11-01") and ambiguous


@pytest.mark.parametrize(
    "heading, key",
    [
        ("一、总体情况", "overview"),
        ("一、概述", "overview"),
        ("一、2017年政务公开工作完成情况及成效", "overview"),
        ("二、主动公开政府信息情况", "active_disclosure"),
        ("三、收到和处理政府信息公开申请情况", "applications"),
        ("三、依申请公开政府信息情况", "applications"),
        ("四、政府信息公开行政复议、行政诉讼情况", "review_litigation"),
        ("五、因政府信息公开申请行政复议、提起行政诉讼的情况", "review_litigation"),
        ("四、政府信息公开的收费及减免情况", "fees"),
        ("四、咨询情况", "consultation"),
        ("五、存在的主要问题及改进情况", "problems_improvements"),
        ("二、工作存在的困难和问题", "problems_improvements"),
        ("六、其他需要报告的事项", "other_matters"),
        ("三、2018年工作打算", "plan"),
        ("四、附表", "appendix"),
        ("七、政府信息公开保密审查及监督检查情况", "other"),
    ],
)
def test_headings_map_to_section_keys_by_meaning(heading, key):
    assert section_key(heading) == key


def test_copies_that_disagree_are_reported(seeds, tmp_path):
    lines = seeds[0].read_text(encoding="utf-8").split("\n")
    assert lines[662].strip() == "规范性文件 0 1 1"
    lines[662] = "    规范性文件 0 2 1"  # the row-per-line copy now says 2
    page = tmp_path / "two_versions.txt"
    page.write_text("\n".join(lines), encoding="utf-8")
    result = run_nianbao("extract", str(page))
    (report,) = json.loads(result.stdout)["reports"]
    disagreement = [w for w in report["warnings"] if "disagree" in w]
    assert len(disagreement) == 1
    assert "tables.active_disclosure.normative_documents.new_published" in disagreement[0]
    assert (
        "1 (lines 8-328), 1 (lines 330-644), 2 (lines 646-733), 1 (lines 735-1045); kept 1"
        in (disagreement[0])
    )  # three copies of four say 1: the majority wins
    assert report["tables"]["active_disclosure"]["normative_documents"]["new_published"] == 1
