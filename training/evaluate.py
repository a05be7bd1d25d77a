"""Evaluation: leave-one-document-out on the real annotated documents (lines and fields),
a held-out set of generated pages, and a learning curve. Never the training score."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from joblib import Parallel, delayed
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from annotations.labelstudio import AnnotatedDocument
from model.assembler import assemble
from model.features import document_features
from model.labeller import CrfTagger, Labeller
from model.labels import LABELS
from model.lines import split_lines
from training.fields import accuracy, compare
from training.synthetic import GeneratedPage, page_text, to_document
from training.train import fit


def leave_one_document_out(
    docs: Sequence[AnnotatedDocument],
    params: dict | None = None,
    extra: Sequence[AnnotatedDocument] = (),
    gold: dict[str, list[dict]] | None = None,
) -> dict:
    """Train on all documents but one, tag that one; repeat for each; score all tags.

    `extra` documents (generated ones) join every training fold and are never scored.
    Where `gold` has the held-out document's reports, its extraction is scored field by field.
    """
    if len(docs) < 2:
        raise ValueError("leave-one-document-out needs at least two annotated documents")
    features = [document_features(d.lines) for d in docs]
    extra_features = [document_features(d.lines) for d in extra]
    gold_labels: list[str] = []
    predicted: list[str] = []
    per_doc = {}
    fields: Counter = Counter()
    for held_out, doc in enumerate(docs):
        train_idx = [i for i in range(len(docs)) if i != held_out]
        crf = fit(
            [docs[i] for i in train_idx] + list(extra),
            params,
            [features[i] for i in train_idx] + extra_features,
        )
        tagged = Labeller(CrfTagger.of(crf), {"version": "fold"}).tag(doc.lines)
        pred = [t.label for t in tagged]
        gold_labels += doc.labels
        predicted += pred
        per_doc[doc.doc_id] = round(_accuracy(doc.labels, pred), 4)
        if gold and doc.source in gold:
            fields += compare(gold[doc.source], assemble(tagged)[0])
    report = score(gold_labels, predicted)
    report["per_document_accuracy"] = per_doc
    report["method"] = f"leave-one-document-out over {len(docs)} annotated documents" + (
        f", {len(extra)} generated documents in every training fold" if extra else ""
    )
    if fields:
        report["fields"] = accuracy(fields)
        report["field_counts"] = dict(fields)
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


def evaluate_generated(labeller: Labeller, pages: Sequence[GeneratedPage]) -> dict:
    """Lines and fields on generated pages the model never saw (another seed)."""
    gold: list[str] = []
    predicted: list[str] = []
    fields: Counter = Counter()
    for page in pages:
        doc = to_document(page)
        tagged = labeller.tag(split_lines(page_text(page)))
        by_no = {t.line.no: t.label for t in tagged}
        gold += doc.labels
        predicted += [by_no[line.no] for line in doc.lines]
        fields += compare(page.gold, assemble(tagged)[0])
    report = score(gold, predicted)
    report["method"] = f"model {labeller.version} on {len(pages)} held-out generated pages"
    report["fields"] = accuracy(fields)
    report["field_counts"] = dict(fields)
    return report


def learning_curve(
    docs: Sequence[AnnotatedDocument],
    extra: Sequence[AnnotatedDocument],
    sizes: Sequence[int] = (0, 1, 2, 4, 8),
    params: dict | None = None,
) -> list[dict]:
    """Score on each held-out real document against how many other real ones were trained on."""
    features = [document_features(d.lines) for d in docs]
    extra_features = [document_features(d.lines) for d in extra]

    def one(size: int, held_out: int) -> tuple[int, list[str], list[str]]:
        others = [i for i in range(len(docs)) if i != held_out]
        chosen = random.Random(size * 1000 + held_out).sample(others, min(size, len(others)))
        crf = fit(
            [docs[i] for i in chosen] + list(extra),
            params,
            [features[i] for i in chosen] + extra_features,
        )
        return size, docs[held_out].labels, list(crf.predict_single(features[held_out]))

    sizes = [s for s in sizes if s < len(docs)]
    runs = Parallel(n_jobs=2)(delayed(one)(s, h) for s in sizes for h in range(len(docs)))
    points = []
    for size in sizes:
        gold = [g for s, gs, _ in runs if s == size for g in gs]
        pred = [p for s, _, ps in runs if s == size for p in ps]
        scored = score(gold, pred)
        points.append(
            {"real_documents": size, "macro_f1": scored["macro_f1"], "accuracy": scored["accuracy"]}
        )
    return points


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
    out.append("confusion (rows: gold, columns: predicted)")
    out.append(" " * 14 + "".join(f"{label[:7]:>8}" for label in labels))
    for label, row in zip(labels, report["confusion"]["matrix"], strict=True):
        out.append(f"{label:<14}" + "".join(f"{v:>8d}" for v in row))
    if report.get("fields"):
        counts = report["field_counts"]
        out.append("")
        out.append("field accuracy of extract against the gold schema values")
        for name, value in report["fields"].items():
            out.append(
                f"  {name:<16}{value:.4f}  ({counts[name + '.right']}/{counts[name + '.total']})"
            )
    if report.get("per_document_accuracy"):
        out.append("")
        out.append("line accuracy per held-out document")
        for doc_id, acc in report["per_document_accuracy"].items():
            out.append(f"  {doc_id:<40} {acc:.4f}")
    return "\n".join(out)


def _accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(len(gold), 1)
