"""The annotated documents: every non-blank line has exactly one valid label."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from annotations.labelstudio import FROM_NAME, annotated_document, load_export
from model.labels import LABELS
from model.lines import split_lines
from model.reader import read_document
from training.dataset import ANNOTATIONS_DIR, load_annotated

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXPORTS = sorted(ANNOTATIONS_DIR.glob("*.json"))
TASKS = [(path.name, task) for path in EXPORTS for task in load_export(path)]


@pytest.mark.parametrize("task", [t for _, t in TASKS], ids=[t["data"]["source"] for _, t in TASKS])
def test_every_non_blank_line_has_exactly_one_valid_label(task):
    source = EXAMPLES / task["data"]["source"]
    doc = read_document(source)
    lines = split_lines(doc.text)
    assert task["data"]["sha256"] == doc.sha256, "the annotated file changed since it was labelled"
    assert [(x["no"], x["text"]) for x in task["data"]["lines"]] == [
        (str(line.no), line.text) for line in lines
    ]
    (annotation,) = task["annotations"]
    per_line = Counter(int(r["value"]["start"]) for r in annotation["result"])
    assert sorted(per_line) == list(range(len(lines)))
    assert set(per_line.values()) == {1}
    for region in annotation["result"]:
        assert region["from_name"] == FROM_NAME
        (label,) = region["value"]["paragraphlabels"]
        assert label in LABELS
        text = task["data"]["lines"][int(region["value"]["start"])]["text"]
        assert region["value"]["endOffset"] == len(text.encode("utf-16-le")) // 2
    assert annotated_document(task) is not None


def test_all_five_seeds_are_annotated():
    sources = {t["data"]["source"] for _, t in TASKS}
    assert {p.name for p in EXAMPLES.glob("00[0-4]_*.txt")} <= sources


def test_a_later_export_supersedes_an_earlier_one(tmp_path):
    (name, task), *_ = TASKS
    older = json.loads(json.dumps(task))
    newer = json.loads(json.dumps(task))
    newer["annotations"][0]["result"][0]["value"]["paragraphlabels"] = ["HEADING"]
    (tmp_path / "2026-01-01T00-00-00Z-a.json").write_text(json.dumps([older]), encoding="utf-8")
    (tmp_path / "2026-02-01T00-00-00Z-b.json").write_text(json.dumps([newer]), encoding="utf-8")
    (doc,) = load_annotated(tmp_path)
    assert doc.labels[0] == "HEADING"


def test_the_latest_of_two_annotations_on_one_task_counts(tmp_path):
    (name, task), *_ = TASKS
    task = json.loads(json.dumps(task))
    second = json.loads(json.dumps(task["annotations"][0]))
    second["id"] += 1000
    second["updated_at"] = "2099-01-01T00:00:00Z"
    second["result"][0]["value"]["paragraphlabels"] = ["CAPTION"]
    task["annotations"].append(second)
    assert annotated_document(task).labels[0] == "CAPTION"
    second["was_cancelled"] = True
    assert annotated_document(task).labels[0] != "CAPTION"


def test_predictions_are_validated_against_the_labelling_config():
    from annotations.labelstudio import label_config, result_items, task_data, validate_prediction

    lines = split_lines("点击此处返回首页 >> 👉\n一、总体情况")
    task = {"data": task_data("doc", "doc.txt", "0" * 64, lines)}
    assert (
        validate_prediction(label_config(), task, result_items(lines, ["NOISE", "HEADING"])) == []
    )
    bad = result_items(lines, ["NOISE", "HEADLINE"])
    bad[0]["value"]["endOffset"] = len(lines[0].text)  # code points, not UTF-16 units
    assert validate_prediction(label_config(), task, bad) == [
        "region line1: endOffset not counted in UTF-16 code units",
        "region line2: label ['HEADLINE'] not in the config",
    ]
