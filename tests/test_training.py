"""`nianbao train` and `nianbao evaluate`: versions, the scorecard, and the rule for shipping."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import run_nianbao

from model.labeller import SHIPPED_MODEL, Labeller
from model.labels import LABELS
from training.dataset import ANNOTATIONS_DIR
from training.versions import promote


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("model")
    result = run_nianbao("train", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out, result


def test_train_writes_a_model_version_with_its_manifest_scores_and_confusion_png(trained, seeds):
    out, result = trained
    labeller = Labeller.load(out)
    assert labeller.version.startswith("crf-")
    card = labeller.card
    assert {d["source"] for d in card["manifest"]["annotated"]} >= {s.name for s in seeds}
    assert all(len(d["sha256"]) == 64 for d in card["manifest"]["annotated"])
    assert card["manifest"]["generated"]["documents"] > 0
    assert card["evaluation"]["method"].startswith("leave-one-document-out")
    assert (out / "confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "macro-F1" in result.stdout and "field accuracy" in result.stdout


def test_leave_one_document_out_meets_the_bar(trained):
    """Line macro-F1 >= 0.97; >= 0.99 of gold cells exact; template, year, body right on every seed."""
    evaluation = Labeller.load(trained[0]).card["evaluation"]
    assert evaluation["macro_f1"] >= 0.97, json.dumps(evaluation["per_label"], indent=1)
    fields = evaluation["fields"]
    assert fields["cells"] >= 0.99, fields
    assert fields["template"] == fields["year"] == fields["organization"] == 1.0, fields
    assert evaluation["field_counts"]["reports.total"] == 14


def test_the_shipped_model_was_trained_on_the_current_data(trained):
    """Annotations or generator changed without retraining: this fails until `train --promote`."""
    fresh, shipped = Labeller.load(trained[0]), Labeller.load(SHIPPED_MODEL)
    assert fresh.card["params"] == shipped.card["params"]
    assert fresh.card["manifest"] == shipped.card["manifest"]


def _copy_with_score(source, target, macro_f1: float):
    shutil.copytree(source, target)
    card = json.loads((target / "model.json").read_text(encoding="utf-8"))
    card["evaluation"]["macro_f1"] = macro_f1
    card["version"] = f"crf-test-{macro_f1}"
    (target / "model.json").write_text(json.dumps(card), encoding="utf-8")
    return target


def test_promote_ships_a_model_only_when_it_is_not_worse(trained, tmp_path):
    shipped = _copy_with_score(trained[0], tmp_path / "shipped", 0.95)
    worse = _copy_with_score(trained[0], tmp_path / "worse", 0.90)
    better = _copy_with_score(trained[0], tmp_path / "better", 0.99)
    ok, message = promote(worse, shipped)
    assert not ok and "not promoted" in message and "0.9000 vs shipped 0.9500" in message
    assert Labeller.load(shipped).version == "crf-test-0.95"
    ok, message = promote(better, shipped)
    assert ok and "promoted crf-test-0.99" in message
    assert Labeller.load(shipped).version == "crf-test-0.99"


def test_evaluate_scores_a_fixed_model_on_annotated_and_generated_pages(trained):
    result = run_nianbao("evaluate", "--model", str(trained[0]), "--fixed", "--json")
    assert result.returncode == 0, result.stderr
    scorecard = json.loads(result.stdout)
    annotated, generated = scorecard["annotated"], scorecard["generated"]
    assert set(annotated["per_label"]) <= set(LABELS)
    assert {"precision", "recall", "f1", "support"} <= set(annotated["per_label"]["HEADING"])
    assert len(annotated["confusion"]["matrix"]) == len(annotated["confusion"]["labels"])
    assert "held-out generated pages" in generated["method"]
    assert generated["macro_f1"] >= 0.9 and generated["fields"]["cells"] >= 0.95, generated[
        "fields"
    ]


def test_evaluate_writes_the_scorecard_and_pngs(tmp_path):
    tasks = json.loads(next(ANNOTATIONS_DIR.glob("*seeds.json")).read_text(encoding="utf-8"))
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "two.json").write_text(json.dumps(tasks[2:4]), encoding="utf-8")
    out = tmp_path / "card"
    result = run_nianbao("evaluate", "--annotations", str(tmp_path / "exports"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "leave-one-document-out over 2 annotated documents" in result.stdout
    scorecard = json.loads((out / "scorecard.json").read_text(encoding="utf-8"))
    assert scorecard["annotated"]["fields"]["reports"] == 1.0  # 002 and 003 have gold
    assert (out / "confusion.png").stat().st_size > 1000


def test_evaluate_without_annotations_is_a_usage_error(tmp_path):
    result = run_nianbao("evaluate", "--annotations", str(tmp_path))
    assert result.returncode == 2
    assert "no Label Studio exports" in result.stderr


def test_a_model_folder_without_a_model_is_a_usage_error(tmp_path, seeds):
    shutil.copy(seeds[3], tmp_path / "a.txt")
    result = run_nianbao("label", "--model", str(tmp_path), str(tmp_path / "a.txt"))
    assert result.returncode == 2 and "no model in" in result.stderr
