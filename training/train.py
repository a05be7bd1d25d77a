"""Training: annotated (+ generated) documents -> a CRF labeller with its model card."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence

import sklearn_crfsuite

from annotations.labelstudio import AnnotatedDocument
from model.features import document_features
from model.labeller import CrfTagger, Labeller
from model.lines import LABELS
from training.synthetic import generate_corpus

# Chosen by `python -m training.tune` (the honest scorecard over every real document).
DEFAULT_PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 200}
# Generated pages joined to the annotated ones in every training run (training/synthetic/).
GENERATED = {
    "documents": 100,
    "seed": 0,
    "collapsed": 0.0,
}  # 0.1 cost 0.06 line macro-F1 (MODEL_CARD)


def make_crf(params: dict | None = None) -> sklearn_crfsuite.CRF:
    params = {**DEFAULT_PARAMS, **(params or {})}
    return sklearn_crfsuite.CRF(
        algorithm="lbfgs",
        c1=params["c1"],
        c2=params["c2"],
        max_iterations=params["max_iterations"],
        all_possible_transitions=True,
    )


def fit(
    docs: Sequence[AnnotatedDocument],
    params: dict | None = None,
    features: Sequence[list[dict]] | None = None,
) -> sklearn_crfsuite.CRF:
    """Fit a CRF on documents; pass precomputed `features` to skip recomputing them."""
    X = list(features) if features is not None else [document_features(d.lines) for d in docs]
    crf = make_crf(params)
    crf.fit(X, [d.labels for d in docs])
    return crf


def generated_documents() -> list[AnnotatedDocument]:
    return generate_corpus(
        GENERATED["documents"], seed=GENERATED["seed"], collapsed=GENERATED["collapsed"]
    )


def manifest(docs: Sequence[AnnotatedDocument], extra: Sequence[AnnotatedDocument]) -> dict:
    """What the model saw, by content hash: a changed line or label changes the hash."""
    return {
        "annotated": [
            {"doc_id": d.doc_id, "source": d.source, "lines": len(d.lines), "sha256": _digest([d])}
            for d in docs
        ],
        "generated": {
            **GENERATED,
            "lines": sum(len(d.lines) for d in extra),
            "sha256": _digest(extra),
        },
    }


def _digest(docs: Sequence[AnnotatedDocument]) -> str:
    h = hashlib.sha256()
    for d in docs:
        for line, label in zip(d.lines, d.labels, strict=True):
            h.update(json.dumps([line.no, line.raw, label], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def train_labeller(
    docs: Sequence[AnnotatedDocument],
    params: dict | None = None,
    evaluation: dict | None = None,
    extra: Sequence[AnnotatedDocument] = (),
) -> Labeller:
    """Fit on annotated + `extra` (generated) documents; write the card saying what it is."""
    params = {**DEFAULT_PARAMS, **(params or {})}
    crf = CrfTagger.of(fit(list(docs) + list(extra), params))
    digest = hashlib.sha256(crf.model).hexdigest()[:6]
    now = dt.datetime.now(dt.timezone.utc)
    card = {
        "version": f"crf-{now:%Y-%m-%d}-{digest}",
        "created": now.isoformat(timespec="seconds"),
        "labels": list(LABELS),
        "params": params,
        "trained_on": {
            "documents": len(docs),
            "lines": sum(len(d.lines) for d in docs),
            "doc_ids": [d.doc_id for d in docs],
            "generated_documents": len(extra),
            "generated_lines": sum(len(d.lines) for d in extra),
        },
        "manifest": manifest(docs, extra),
        "evaluation": evaluation or {},
    }
    return Labeller(crf, card)
