"""`nianbao train` and `nianbao evaluate` on the annotated documents."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import run_nianbao

from model.labeller import SHIPPED_MODEL, Labeller
from model.labels import LABELS
from training.dataset import ANNOTATIONS_DIR


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("model")
    result = run_nianbao("train", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out, result


def test_train_writes_a_loadable_model_with_its_leave_one_out_evaluation(trained, seeds):
    out, result = trained
    labeller = Labeller.load(out)
    assert labeller.version.startswith("crf-")
    evaluation = labeller.card["evaluation"]
    assert evaluation["method"].startswith("leave-one-document-out")
    assert set(evaluation["per_document_accuracy"]) >= {s.stem for s in seeds}
    assert "macro-F1" in result.stdout and "confusion" in result.stdout


def test_leave_one_document_out_macro_f1_is_at_least_0_90(trained):
    out, _ = trained
    evaluation = Labeller.load(out).card["evaluation"]
    assert evaluation["macro_f1"] >= 0.90, json.dumps(evaluation["per_label"], indent=1)


def test_the_shipped_model_is_the_one_training_produces(trained):
    """Shipped and freshly trained models agree on the labels of every annotated line."""
    out, _ = trained
    fresh, shipped = Labeller.load(out), Labeller.load(SHIPPED_MODEL)
    assert fresh.card["params"] == shipped.card["params"]
    assert fresh.card["trained_on"] == shipped.card["trained_on"]


def test_evaluate_a_fixed_model_prints_per_label_scores_and_confusion(trained):
    out, _ = trained
    result = run_nianbao("evaluate", "--model", str(out), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report["per_label"]) <= set(LABELS)
    assert {"precision", "recall", "f1", "support"} <= set(report["per_label"]["HEADING"])
    assert len(report["confusion"]["matrix"]) == len(report["confusion"]["labels"])


def test_evaluate_runs_leave_one_document_out_on_a_folder_of_exports(tmp_path):
    tasks = json.loads(next(ANNOTATIONS_DIR.glob("*seeds.json")).read_text(encoding="utf-8"))
    (tmp_path / "two.json").write_text(json.dumps(tasks[2:4]), encoding="utf-8")
    result = run_nianbao("evaluate", "--annotations", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "leave-one-document-out over 2 annotated documents" in result.stdout
    assert "macro-F1" in result.stdout


def test_evaluate_without_annotations_is_a_usage_error(tmp_path):
    result = run_nianbao("evaluate", "--annotations", str(tmp_path))
    assert result.returncode == 2
    assert "no Label Studio exports" in result.stderr


def test_a_model_folder_without_a_model_is_a_usage_error(tmp_path, seeds):
    shutil.copy(seeds[3], tmp_path / "a.txt")
    result = run_nianbao("label", "--model", str(tmp_path), str(tmp_path / "a.txt"))
    assert result.returncode == 2 and "no model in" in result.stderr
