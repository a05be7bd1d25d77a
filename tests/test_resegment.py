"""Pages that lost their line breaks: re-segmentation, spans, and digit runs decoded."""

from __future__ import annotations

import json
import random

from conftest import run_nianbao
from nianbao.model.assembler import assemble
from nianbao.model.assembler.digits import cuts, cuts_in_blocks, row_sum
from nianbao.model.labeller import load_model
from nianbao.model.lines import split_lines
from nianbao.training.fields import accuracy, compare
from nianbao.training.real_documents import load_gold
from nianbao.training.synthetic import collapse, generate_page, page_text


def _collapsed(path, tmp_path):
    """The page as a scraper that drops line breaks saves it: every line glued to the next."""
    glued = "".join(line.text for line in split_lines(path.read_text(encoding="utf-8")))
    target = tmp_path / f"collapsed-{path.name}"
    target.write_text(glued, encoding="utf-8")
    return target


def _gold(path) -> list[dict]:
    return load_gold()[path.name].reports


def test_seed_000_on_one_line_extracts_like_the_original(seeds, tmp_path):
    result = run_nianbao("extract", str(_collapsed(seeds[0], tmp_path)))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["source"]["n_lines"] == 1
    (report,) = doc["reports"]
    (gold,) = _gold(seeds[0])
    assert report["tables"] == gold["tables"]
    for name in ("year", "organization", "template", "title"):
        assert report[name] == gold[name], name


def test_seed_001_on_one_line_decodes_what_is_unique_and_flags_the_rest(seeds, tmp_path):
    result = run_nianbao("extract", str(_collapsed(seeds[1], tmp_path)))
    (report,) = json.loads(result.stdout)["reports"]
    (gold,) = _gold(seeds[1])
    for name in ("year", "organization", "template"):
        assert report[name] == gold[name], name
    assert report["tables"]["applications"] == gold["tables"]["applications"]
    assert report["tables"]["review_litigation"] == gold["tables"]["review_litigation"]
    t2, gold2 = report["tables"]["active_disclosure"], gold["tables"]["active_disclosure"]
    # 213 +6 12253 glued as `213+612253`, 35 35 35 as `353535`: table 2 has no identity to
    # choose among the readings, so the cells stay null and a warning names the candidates.
    assert t2["other_services"] == dict.fromkeys(gold2["other_services"])
    assert t2["extra_rows"] == [{"label": "其他主动公开文件", "values": [None, None, None]}]
    assert {k: v for k, v in t2.items() if k not in ("other_services", "extra_rows")} == {
        k: v for k, v in gold2.items() if k not in ("other_services", "extra_rows")
    }
    warning = next(w for w in report["warnings"] if "213+612253" in w)
    assert "213 +6 12253" in warning and "left null" in warning


def test_a_generated_2021_report_on_one_line_extracts_completely():
    page = collapse(generate_page(random.Random(21), "collapsed-2021", template="2021"))
    text = page_text(page)
    assert "\n" not in text
    reports, _ = assemble(load_model().predict(split_lines(text)))
    scores = accuracy(compare(page.gold, reports))
    assert scores["template"] == scores["year"] == scores["organization"] == 1.0, scores
    assert scores["cells"] == 1.0, scores  # every table cell, as from the page with its breaks


def test_label_gives_spans_that_cut_the_page_where_a_reader_would(seeds, tmp_path):
    path = _collapsed(seeds[1], tmp_path)
    source = path.read_text(encoding="utf-8")
    result = run_nianbao("label", str(path))
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(r["line"] == 1 for r in records)
    for r in records:
        start, end = r["span"]
        assert source[start:end] == r["text"]
    assert [r["span"] for r in records] == sorted(r["span"] for r in records)
    by_text = {r["text"]: r["label"] for r in records}
    assert by_text["二、主动公开政府信息情况"] == "HEADING"
    assert by_text["第二十条第(一)项"] == "TABLE_HEADER"
    assert by_text["规章"] == "TABLE_LABEL"
    assert by_text["一、本年新收政府信息公开申请数量"] == "TABLE_LABEL"
    assert by_text["三是参与培训,提升业务技能。"] == "NARRATIVE"


def test_a_glued_row_with_one_reading_is_decoded():
    assert cuts("640020470", 7, row_sum) == [["64", "0", "0", "2", "0", "4", "70"]]
    assert cuts("0000000", 7, row_sum) == [["0"] * 7]


def test_a_glued_row_with_several_readings_keeps_them_all():
    assert cuts("011001012", 7, row_sum) == [
        ["0", "1", "1", "0", "0", "10", "12"],
        ["0", "1", "10", "0", "1", "0", "12"],
        ["0", "11", "0", "0", "1", "0", "12"],
    ]


def test_a_row_that_breaks_its_own_identity_has_no_reading():
    assert cuts("1234567", 7, row_sum) == []  # 1+2+3+4+5+6 is not 7


def test_table_4_decodes_block_by_block():
    run = "210141000100000"  # 2+1+0+1=4, 1+0+0+0=1, 0+0+0+0=0
    assert cuts_in_blocks(run, 3, 5, row_sum) == [list("21014") + list("10001") + list("00000")]
