"""The templates module is the one place template knowledge lives: what derives from it
agrees with it, and a row label is written nowhere else."""

from __future__ import annotations

import subprocess
from pathlib import Path

from nianbao.model import templates
from nianbao.model.resegment import cut

ROOT = Path(__file__).resolve().parent.parent


def test_a_row_label_is_written_once_outside_tests_and_data():
    for label in (
        "本机关不掌握相关政府信息",
        "结转下年度继续办理",
        "现行有效件数",
        "未经复议直接起诉",
    ):
        found = subprocess.run(
            ["git", "grep", "-l", label, "--", "*.py"], cwd=ROOT, capture_output=True, text=True
        ).stdout.split()
        assert [f for f in found if not f.startswith("tests/")] == ["model/templates.py"], label


def test_every_numbered_sub_row_starts_with_a_word_the_cutter_knows():
    subrows = [r for r in templates.T3_ROWS.values() if r.numbering.isdigit()]
    for row in subrows:
        assert any(row.words.startswith(w) for w in templates.T3_SUBROW_STARTS), row.key
    for start in templates.T3_SUBROW_STARTS:
        assert any(r.words.startswith(start) for r in subrows), start


def test_metadata_keys_agree():
    keys = set(templates.cms_keys())
    assert set(templates.DISTINCTIVE_META_KEYS) <= keys
    assert {k for ks in templates.META_FIELDS.values() for k in ks} <= keys
    assert set(templates.PUBLISHED_KEYS) | set(templates.TITLE_KEYS) <= keys


def test_table_3_reads_as_the_template_prints_it():
    rows = templates.T3_ROWS
    assert rows["partially_granted"].words == "部分公开"  # the note is no part of the label
    assert rows["denied_security_stability"].words == "危及三安全一稳定"
    assert rows["other_unpaid_fee"].parts[0] == "申请人逾期未按收费通知要求缴纳费用"
    assert [rows[k].numbering for k in ("new_received", "granted", "denied_inquiry")] == [
        "一",
        "(一)",
        "8",
    ]
    assert templates.result_rows("2019")[-1] == "other"
    assert templates.result_rows("2021")[-3:] == templates.T3_OTHER_SUBROWS


def test_the_cutter_cuts_a_glued_table_3_at_the_template_rows():
    text = "（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开0000000" * 3
    pieces = [text[a:b] for a, b in cut(text + "。" * 300)]
    assert "1.属于国家秘密" in pieces and "0000000" in pieces
