"""The annotated documents: every non-blank line has exactly one valid label."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from nianbao.annotations.labelstudio import (
    FROM_NAME,
    annotated_document,
    latest_annotation,
    load_export,
)
from nianbao.model.lines import LABELS, split_lines
from nianbao.model.read import read_document
from nianbao.training.dataset import load_annotated
from nianbao.training.real_documents import OWN_ANNOTATIONS, corpus_pages, real_files

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXPORTS = sorted(OWN_ANNOTATIONS.glob("*.json"))
TASKS = [(path.name, task) for path in EXPORTS for task in load_export(path)]
FILES = real_files()


@pytest.mark.parametrize(
    "task", [t for _, t in TASKS], ids=[Path(t["data"]["source"]).name for _, t in TASKS]
)
def test_every_line_the_labeller_sees_has_exactly_one_valid_label(task):
    """Each annotated file is read as today's pipeline reads it; the annotation labels every
    line (every piece of a line that lost its breaks) the labeller sees at run time."""
    doc = read_document(FILES[Path(task["data"]["source"]).name].path)
    assert task["data"]["sha256"] == doc.sha256, "the annotated file changed since it was labelled"
    annotated = annotated_document(task)
    assert annotated is not None, "a line is left unlabelled"
    assert [(line.no, line.text) for line in annotated.lines] == [
        (line.no, line.text) for line in split_lines(doc.text)
    ]
    assert set(annotated.labels) <= set(LABELS)
    annotation = latest_annotation(task)
    shown = task["data"]["lines"]
    covered = {int(r["value"]["start"]) for r in annotation["result"]}
    assert covered == set(range(len(shown)))  # the annotator looked at every item
    for region in annotation["result"]:
        assert region["from_name"] == FROM_NAME
        (label,) = region["value"]["paragraphlabels"]
        assert label in LABELS
        text = shown[int(region["value"]["start"])]["text"]
        assert 0 <= region["value"]["startOffset"] < region["value"]["endOffset"]
        assert region["value"]["endOffset"] <= len(text.encode("utf-16-le")) // 2


def test_every_corpus_page_is_annotated_and_has_gold_values():
    from nianbao.training.real_documents import load_gold

    annotated = {Path(t["data"]["source"]).name for _, t in TASKS}
    pages = {p.name for p in corpus_pages()}
    assert len(pages) == 19
    assert pages <= annotated
    gold = load_gold()
    assert pages <= set(gold)
    for name in pages:
        for report in gold[name].reports:
            assert {"organization", "year", "template", "sections"} <= set(report), name
            if report["template"] != "legacy":
                assert report["tables"]["applications"], name
    assert [
        gold[n].reports for n in ("N01_pt-gwbgs_guide.txt", "N02_pt-czj_2017_selfcheck.txt")
    ] == [[], []]


def test_labels_follow_the_text_when_the_cutter_changes():
    """A task made when the cutter glued a heading to its prose (one piece, the heading
    labelled as a part of it): loaded today, the line is cut as the labeller cuts it and
    each piece takes the label of its own characters."""
    from nianbao.annotations.labelstudio import result_items, task_data
    from nianbao.model.lines import Line

    doc = read_document(FILES["004_pt-scj_2021.txt"].path)
    today = [line for line in split_lines(doc.text) if line.span]
    i = next(k for k, line in enumerate(today) if line.text == "一、总体情况")
    heading, prose = today[i], today[i + 1]
    glued = Line(heading.no, "", "", (heading.span[0], prose.span[1]))
    glued = Line(glued.no, doc.text.split("\n")[heading.no - 1][slice(*glued.span)], "", glued.span)
    shown = [*today[:i], glued, *today[i + 2 :]]
    labels = ["NARRATIVE"] * len(shown)
    task = {"data": task_data("d", "004_pt-scj_2021.txt", doc.sha256, shown, doc.text)}
    result = result_items(shown, labels)
    part = json.loads(json.dumps(result[i]))
    part["id"], part["value"]["endOffset"] = "part", len("一、总体情况")
    part["value"]["paragraphlabels"] = ["HEADING"]
    task["annotations"] = [{"id": 1, "result": [*result, part]}]
    loaded = annotated_document(task)
    assert [line.span for line in loaded.lines] == [line.span for line in today]
    assert loaded.labels[i : i + 2] == ["HEADING", "NARRATIVE"]


def test_all_five_seeds_are_annotated():
    sources = {Path(t["data"]["source"]).name for _, t in TASKS}
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
    from label_studio_sdk.label_interface import LabelInterface
    from nianbao.annotations.labelstudio import (
        label_config,
        result_items,
        task_data,
        validate_prediction,
    )

    interface = LabelInterface(label_config())
    lines = split_lines("点击此处返回首页 >> 👉\n一、总体情况")
    task = {"data": task_data("doc", "doc.txt", "0" * 64, lines)}
    assert validate_prediction(interface, task, result_items(lines, ["NOISE", "HEADING"])) == []
    bad = result_items(lines, ["NOISE", "HEADLINE"])
    bad[0]["value"]["endOffset"] = len(lines[0].text)  # code points, not UTF-16 units
    problems = validate_prediction(interface, task, bad)
    assert len(problems) == 2
    assert "Invalid value for control 'line_tag'" in problems[0] and "HEADLINE" in problems[0]
    assert problems[1] == "region line1: endOffset not counted in UTF-16 code units"
