"""`nianbao train` and `nianbao evaluate`: the honest scorecard, versions, and the rule for
shipping a model."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import run_nianbao
from nianbao.model.labeller import SHIPPED_MODEL, load_model
from nianbao.model.lines import LABELS
from nianbao.training.dataset import load_annotated
from nianbao.training.real_documents import OWN_ANNOTATIONS, corpus_pages, load_gold
from nianbao.training.train import GENERATED, generated_documents, manifest
from nianbao.training.versions import promote


@pytest.fixture(scope="module")
def scorecard(tmp_path_factory) -> dict:
    """The full honest scorecard, as `nianbao evaluate` computes it."""
    out = tmp_path_factory.mktemp("scorecard")
    result = run_nianbao("evaluate", "--json", "--out", str(out), timeout=1800)
    assert result.returncode == 0, result.stderr
    fitted = [x for x in result.stderr.splitlines() if x.startswith("nianbao: fitted ")]
    assert len(fitted) > 10 and fitted[-1].startswith("nianbao: fitted ")  # progress, on stderr
    n = fitted[-1].split()[2]
    assert fitted[-1] == f"nianbao: fitted {n} of {n} models"
    card = json.loads(result.stdout)
    assert json.loads((out / "scorecard.json").read_text(encoding="utf-8")) == card
    assert (out / "confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return card


def test_every_real_document_with_gold_is_scored_per_source_group(scorecard):
    after = scorecard["after"]
    assert set(after["groups"]) == {"seeds", "samples", "corpus"}
    gold = load_gold()
    scored = {name for name, d in after["documents"].items() if "fields" in d}
    assert {p.name for p in corpus_pages()} <= scored
    assert {"hongze_2023.pdf", "004_pt-scj_2021.html", "000_d12555345b50555c.txt"} <= scored
    assert scored <= set(gold)
    corpus = after["groups"]["corpus"]
    assert corpus["annotated"] == 22  # 19 text pages and 3 HTML renderings
    assert {"report_count", "metadata", "cells", "figures", "sections"} <= set(corpus["fields"])
    assert set(after["overall"]["lines"]["per_label"]) <= set(LABELS)


def test_near_duplicates_are_held_out_together(scorecard):
    clusters = [set(c) for c in scorecard["clusters"]]

    def together(*names):
        return any(set(names) <= c for c in clusters)

    assert together("001_pt-czj_2009.txt", "017_pt-jtj_2009.txt")  # one text, two bodies
    assert together("004_pt-scj_2021.txt", "004_pt-scj_2021.html")  # two renderings
    assert together("hongze_2023.pdf", "hongze_2023_pdftext.txt")  # a PDF and its text
    assert not together("004_pt-scj_2021.txt", "015_pt-czj_2022.txt")  # one template only
    docs = scorecard["after"]["documents"]
    assert docs["001_pt-czj_2009.txt"]["cluster"] == docs["017_pt-jtj_2009.txt"]["cluster"]


def test_held_out_real_documents_meet_the_bar(scorecard):
    groups = scorecard["after"]["groups"]
    assert groups["seeds"]["lines"]["macro_f1"] >= 0.97, groups["seeds"]["lines"]
    assert groups["seeds"]["fields"]["cells"] == 1.0
    assert groups["samples"]["fields"]["cells"] >= 0.97
    assert groups["corpus"]["lines"]["accuracy"] >= 0.95, groups["corpus"]["lines"]
    assert scorecard["after"]["overall"]["fields"]["cells"] >= 0.95


def test_the_corpus_corrections_taught_the_model(scorecard):
    """The corpus scored by models trained with the other corpus pages' annotations, against
    models trained without any: what annotating real pages through the loop bought."""
    before = scorecard["before"]["groups"]["corpus"]
    after = scorecard["after"]["groups"]["corpus"]
    assert after["lines"]["macro_f1"] >= before["lines"]["macro_f1"] + 0.1
    assert after["fields"]["report_count"] > before["fields"]["report_count"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A model trained on the seed annotations alone (the full training is `train --promote`)."""
    exports = tmp_path_factory.mktemp("exports")
    shutil.copy(next(OWN_ANNOTATIONS.glob("*seeds.json")), exports)
    out = tmp_path_factory.mktemp("model")
    result = run_nianbao("train", "--annotations", str(exports), "--out", str(out), timeout=1800)
    assert result.returncode == 0, result.stderr
    assert "nianbao: fitted 1 of " in result.stderr  # says what it is doing
    assert "nianbao: training the model on every annotated document" in result.stderr
    return out, result


def test_train_writes_a_model_version_with_its_manifest_scorecard_and_confusion_png(trained, seeds):
    out, result = trained
    labeller = load_model(out)
    assert labeller.version.startswith("crf-")
    card = labeller.card
    assert {d["source"] for d in card["manifest"]["annotated"]} == {s.name for s in seeds}
    assert all(len(d["sha256"]) == 64 for d in card["manifest"]["annotated"])
    assert card["manifest"]["generated"]["documents"] == GENERATED["documents"]
    evaluation = card["evaluation"]
    assert "clusters of near-duplicates" in evaluation["method"]
    assert evaluation["after"]["groups"]["seeds"]["annotated"] == 5
    assert (out / "confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "every real document, held out" in result.stdout
    assert "before the corpus joined training" in result.stdout


def test_the_shipped_model_was_trained_on_the_current_data():
    """Annotations or generator changed without retraining: this fails until `train --promote`."""
    shipped = load_model(SHIPPED_MODEL)
    assert shipped.card["manifest"] == manifest(load_annotated(), generated_documents())
    assert "clusters of near-duplicates" in shipped.card["evaluation"]["method"]


def _copy_with_score(source, target, cells: float, version: str):
    shutil.copytree(source, target)
    card = json.loads((target / "model.json").read_text(encoding="utf-8"))
    card["evaluation"]["after"]["overall"]["fields"]["cells"] = cells
    card["version"] = version
    (target / "model.json").write_text(json.dumps(card), encoding="utf-8")
    return target


def test_promote_ships_a_model_only_when_its_honest_scorecard_is_not_worse(trained, tmp_path):
    shipped = _copy_with_score(trained[0], tmp_path / "shipped", 0.95, "crf-test-shipped")
    worse = _copy_with_score(trained[0], tmp_path / "worse", 0.90, "crf-test-worse")
    better = _copy_with_score(trained[0], tmp_path / "better", 0.99, "crf-test-better")
    ok, message = promote(worse, shipped)
    assert (
        not ok and "not promoted" in message and "table cells 0.9000 vs shipped 0.9500" in message
    )
    assert load_model(shipped).version == "crf-test-shipped"
    ok, message = promote(better, shipped)
    assert ok and "promoted crf-test-better" in message
    assert load_model(shipped).version == "crf-test-better"


def test_evaluate_fixed_names_the_documents_the_model_was_trained_on(trained):
    result = run_nianbao("evaluate", "--fixed", "--model", str(trained[0]), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert len(summary["trained_on"]) == 5 and "not held-out scores" in summary["description"]
    assert summary["groups"]["corpus"]["with_gold"] >= 19


def test_evaluate_without_annotations_is_a_usage_error(tmp_path):
    result = run_nianbao("evaluate", "--annotations", str(tmp_path))
    assert result.returncode == 2
    assert "no Label Studio exports" in result.stderr


def test_a_model_folder_without_a_model_is_a_usage_error(tmp_path, seeds):
    shutil.copy(seeds[3], tmp_path / "a.txt")
    result = run_nianbao("label", "--model", str(tmp_path), str(tmp_path / "a.txt"))
    assert result.returncode == 2 and "no model in" in result.stderr


def test_the_labeller_is_an_estimator_with_one_decoder(tmp_path):
    import pickle

    from nianbao.model.labeller import Labeller

    docs = load_annotated()[:3]
    labeller = Labeller({"c1": 0.3, "max_iterations": 30}).fit(docs)
    assert labeller.get_params() == {"c1": 0.3, "c2": 0.01, "max_iterations": 30}
    tagged = labeller.predict(docs[0].lines)
    assert [t.line for t in tagged] == list(docs[0].lines)
    assert all(0 < t.confidence <= 1 for t in tagged)
    labeller.card = {"version": "crf-test", "params": labeller.get_params()}
    labeller.save(tmp_path)
    loaded = load_model(tmp_path)
    assert loaded.get_params() == labeller.get_params()
    copy = pickle.loads(pickle.dumps(loaded))  # what a worker process receives
    assert [t.label for t in copy.predict(docs[0].lines)] == [t.label for t in tagged]
