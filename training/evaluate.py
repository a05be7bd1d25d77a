"""Evaluation: leave-one-document-out scores, the only honest figure on few documents."""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from annotations.labelstudio import AnnotatedDocument
from model.features import document_features
from model.labeller import Labeller
from model.labels import LABELS
from training.train import fit


def leave_one_document_out(
    docs: Sequence[AnnotatedDocument],
    params: dict | None = None,
    extra: Sequence[AnnotatedDocument] = (),
) -> dict:
    """Train on all documents but one, tag that one; repeat for each; score all tags.

    `extra` documents (generated ones) join every training fold and are never scored.
    """
    if len(docs) < 2:
        raise ValueError("leave-one-document-out needs at least two annotated documents")
    features = [document_features(d.lines) for d in docs]
    extra_features = [document_features(d.lines) for d in extra]
    gold: list[str] = []
    predicted: list[str] = []
    per_doc = {}
    for held_out in range(len(docs)):
        train_idx = [i for i in range(len(docs)) if i != held_out]
        crf = fit(
            [docs[i] for i in train_idx] + list(extra),
            params,
            [features[i] for i in train_idx] + extra_features,
        )
        pred = list(crf.predict_single(features[held_out]))
        gold += docs[held_out].labels
        predicted += pred
        per_doc[docs[held_out].doc_id] = _accuracy(docs[held_out].labels, pred)
    report = score(gold, predicted)
    report["per_document_accuracy"] = per_doc
    report["method"] = f"leave-one-document-out over {len(docs)} annotated documents" + (
        f", {len(extra)} generated documents in every training fold" if extra else ""
    )
    return report


def evaluate_model(labeller: Labeller, docs: Sequence[AnnotatedDocument]) -> dict:
    """Score a fixed model on annotated documents (fair only if it never saw them)."""
    gold: list[str] = []
    predicted: list[str] = []
    for doc in docs:
        gold += doc.labels
        predicted += [t.label for t in labeller.tag(doc.lines)]
    report = score(gold, predicted)
    report["method"] = f"model {labeller.version} on {len(docs)} documents"
    return report


def score(gold: Sequence[str], predicted: Sequence[str]) -> dict:
    """Per-label precision/recall/F1, macro-F1 over the labels that occur, confusion matrix."""
    present = [label for label in LABELS if label in set(gold) | set(predicted)]
    p, r, f, support = precision_recall_fscore_support(
        gold, predicted, labels=present, zero_division=0
    )
    matrix = confusion_matrix(gold, predicted, labels=present)
    return {
        "lines": len(gold),
        "accuracy": round(_accuracy(gold, predicted), 4),
        "macro_f1": round(float(f.mean()), 4),
        "per_label": {
            label: {
                "precision": round(float(p[i]), 4),
                "recall": round(float(r[i]), 4),
                "f1": round(float(f[i]), 4),
                "support": int(support[i]),
            }
            for i, label in enumerate(present)
        },
        "confusion": {"labels": present, "matrix": matrix.tolist()},
    }


def format_report(report: dict) -> str:
    """The report as a person reads it: a table of labels, then the confusion matrix."""
    out = [report.get("method", ""), ""]
    out.append(f"{'label':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for label, s in report["per_label"].items():
        out.append(
            f"{label:<14}{s['precision']:>10.3f}{s['recall']:>10.3f}{s['f1']:>10.3f}"
            f"{s['support']:>10d}"
        )
    out.append("")
    out.append(
        f"macro-F1 {report['macro_f1']:.4f}   accuracy {report['accuracy']:.4f}   "
        f"lines {report['lines']}"
    )
    out.append("")
    labels = report["confusion"]["labels"]
    short = [label[:7] for label in labels]
    out.append("confusion (rows: gold, columns: predicted)")
    out.append(" " * 14 + "".join(f"{s:>8}" for s in short))
    for label, row in zip(labels, report["confusion"]["matrix"], strict=True):
        out.append(f"{label:<14}" + "".join(f"{v:>8d}" for v in row))
    if report.get("per_document_accuracy"):
        out.append("")
        out.append("accuracy per held-out document")
        for doc_id, acc in report["per_document_accuracy"].items():
            out.append(f"  {doc_id:<40} {acc:.4f}")
    return "\n".join(out)


def _accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(len(gold), 1)
