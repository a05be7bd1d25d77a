"""Property-based tests: any input -> a schema-valid result or a one-line error, quickly.

Hypothesis draws bytes, text shaped like scraped reports, HTML trees and tagged lines;
each layer (reader, labeller, assembler, whole pipeline, CLI, HTTP service) must answer
without an exception other than its own one-sentence errors. Inputs that once crashed
are kept in tests/regressions/ and replayed by the last test.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, assert_valid_document, run_nianbao
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nianbao.model.assembler import assemble
from nianbao.model.labeller import Labeller, TaggedLine, load_model
from nianbao.model.limits import Limits
from nianbao.model.lines import LABELS, Line, split_lines
from nianbao.model.pipeline import extract_bytes
from nianbao.model.read import ReadError, read_bytes

REGRESSIONS = sorted((ROOT / "tests" / "regressions").glob("*"))
# CI replays the same 150 draws per test; NIANBAO_FUZZ_EXAMPLES=5000 hunts with fresh ones.
HUNT = int(os.environ.get("NIANBAO_FUZZ_EXAMPLES", "0"))
FAST = settings(
    max_examples=HUNT or 150,
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=not HUNT,
)

# Pieces of real reports, so that drawn text reaches the assembler's table and date rules.
_PIECES = [
    "一、总体情况",
    "（一）予以公开",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "本年新收政府信息公开申请数量",
    "自然人",
    "商业企业",
    "总计",
    "规章",
    "行政规范性文件",
    "行政复议",
    "结果维持",
    "2021年政府信息公开工作年度报告",
    "某某县人民政府办公室",
    "2022年1月20日",
    "20211月10日",
    "索引号：",
    "发布时间：2023-01-05",
    "篇1",
    "—",
    "0",
    "12",
    "+3",
    "-2",
    "640020470",
    "\t",
    "  ",
    "|",
    "。",
]
report_like_text = st.lists(
    st.one_of(
        st.sampled_from(_PIECES),
        # no NUL (a binary file) and no lone surrogates (no bytes decode to them)
        st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), max_size=12),
        st.integers(-999, 99999).map(str),
    ),
    max_size=80,
).map(lambda parts: "".join(p if i % 3 else p + "\n" for i, p in enumerate(parts)))

_TAGS = ["div", "p", "table", "tr", "td", "th", "span", "br", "script", "li", "b", "center"]
html_trees = st.recursive(
    report_like_text.map(lambda t: t.replace("<", "&lt;")),
    lambda inner: st.tuples(st.sampled_from(_TAGS), st.lists(inner, max_size=4)).map(
        lambda node: f"<{node[0]}>{''.join(node[1])}</{node[0]}>"
    ),
    max_leaves=30,
)


@pytest.fixture(scope="module")
def labeller() -> Labeller:
    return load_model()


@FAST
@given(st.binary(max_size=4000))
def test_the_reader_reads_any_bytes_or_says_why_in_one_line(raw):
    for suffix in (".txt", ".html", ""):
        try:
            doc = read_bytes(raw, path="fuzz", suffix=suffix)
        except ReadError as e:
            assert str(e) and "\n" not in str(e)
        else:
            assert isinstance(doc.text, str)


@FAST
@given(html_trees)
def test_the_reader_turns_any_html_tree_into_lines(markup):
    doc = read_bytes(f"<html><body>{markup}</body></html>".encode(), suffix=".html")
    assert "<td>" not in doc.text and "<script>" not in doc.text


@FAST
@given(report_like_text)
def test_the_labeller_tags_every_line_with_a_label_of_the_contract(labeller, text):
    lines = split_lines(text)
    tagged = labeller.predict(lines)
    assert [t.line for t in tagged] == lines
    assert all(t.label in LABELS and 0.0 <= t.confidence <= 1.0 for t in tagged)


@FAST
@given(st.lists(st.tuples(st.sampled_from(LABELS), report_like_text), max_size=60))
def test_the_assembler_makes_schema_valid_reports_of_any_tagged_lines(labelled):
    tagged = []
    for label, text in labelled:
        for line in text.splitlines() or [text]:
            if line.strip():
                no = len(tagged) + 1
                tagged.append(TaggedLine(Line(no, line.strip(), line), label, 0.9))
    reports, warnings = assemble(tagged)
    assert_valid_document(
        {
            "schema_version": 1,
            "source": {"path": "fuzz"},
            "model_version": "fuzz",
            "reports": reports,
            "warnings": warnings,
            "error": None,
        }
    )


@FAST
@given(
    st.one_of(
        st.binary(max_size=3000), report_like_text.map(str.encode), html_trees.map(str.encode)
    )
)
def test_the_pipeline_answers_any_bytes_with_a_schema_valid_record(labeller, raw):
    record = extract_bytes(raw, "fuzz.html", labeller, Limits(seconds=10))
    assert_valid_document(record)


@settings(max_examples=3, deadline=None, derandomize=True)
@given(
    st.lists(
        st.one_of(st.binary(max_size=2000), report_like_text.map(str.encode)),
        min_size=8,
        max_size=8,
    )
)
def test_the_cli_answers_a_folder_of_junk_with_one_record_per_file(tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("junk")
    for i, raw in enumerate(files):
        (folder / f"{i}.txt").write_bytes(raw)
    result = run_nianbao("extract", str(folder))  # run_nianbao checks every record's schema
    assert result.returncode in (0, 1), result.stderr
    assert len(result.stdout.splitlines()) == 8
    assert "Traceback" not in result.stderr


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.one_of(st.binary(max_size=3000), html_trees.map(str.encode), st.text(max_size=300)))
def test_the_service_answers_any_upload_with_a_record_or_a_one_line_error(service, sent):
    if isinstance(sent, bytes):
        answer = httpx.post(f"{service}/v1/extract", files={"file": ("x.html", sent)}, timeout=60)
    else:  # any text as JSON, lone surrogates (\ud800) included
        answer = httpx.post(
            f"{service}/v1/extract",
            content=json.dumps({"text": sent}),
            headers={"content-type": "application/json"},
            timeout=60,
        )
    assert answer.status_code in (200, 422), answer.text
    if answer.status_code == 200:
        assert_valid_document(answer.json())
    else:
        assert "\n" not in answer.json()["error"]


@pytest.mark.parametrize("case", REGRESSIONS, ids=lambda p: p.name)
def test_inputs_that_once_crashed_are_answered(labeller, case: Path):
    record = extract_bytes(case.read_bytes(), case.name, labeller, Limits(seconds=10))
    assert_valid_document(record)
    json.dumps(record)
