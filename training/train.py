"""Training: annotated documents -> a CRF labeller with its model card."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence

import joblib
import sklearn_crfsuite

from annotations.labelstudio import AnnotatedDocument
from model.features import document_features
from model.labeller import Labeller
from model.labels import LABELS

DEFAULT_PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 200}


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


def train_labeller(
    docs: Sequence[AnnotatedDocument], params: dict | None = None, evaluation: dict | None = None
) -> Labeller:
    """Fit on all documents and write the card that says what the model is."""
    params = {**DEFAULT_PARAMS, **(params or {})}
    crf = fit(docs, params)
    buf = io.BytesIO()
    joblib.dump(crf, buf)
    digest = hashlib.sha256(buf.getvalue()).hexdigest()[:6]
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d")
    card = {
        "version": f"crf-{today}-{digest}",
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "labels": list(LABELS),
        "params": params,
        "trained_on": {
            "documents": len(docs),
            "lines": sum(len(d.lines) for d in docs),
            "doc_ids": [d.doc_id for d in docs],
        },
        "evaluation": evaluation or {},
    }
    return Labeller(crf, card)
