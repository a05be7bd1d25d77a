"""The honest scorecard: every real document scored by a model that never saw it, nor any of
its near-duplicates, on its lines (against the annotations) and on the fields a user reads
(against the gold values), per source group and overall.

Real documents are grouped into clusters of near-duplicates (`real_documents`); each cluster
is held out in turn and tagged by a model trained on the annotated documents of all other
clusters plus the generated pages. Generated pages only ever train. The same is done once
more without the corpus in training ("before"), to show what the corpus's annotations
taught. Tagging uses the shipped decoder (`Labeller.tag`: each line's best marginal).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from joblib import Parallel, delayed
from nianbao.annotations.labelstudio import AnnotatedDocument
from nianbao.model.assembler import assemble
from nianbao.model.features import document_features
from nianbao.model.labeller import Labeller
from nianbao.model.lines import LABELS
from nianbao.model.pipeline import extract_document
from nianbao.model.read import Document, ReadError, read_document
from nianbao.training.fields import SCORED, accuracy, compare
from nianbao.training.real_documents import (
    CORPUS,
    Gold,
    load_gold,
    near_duplicate_clusters,
    real_files,
)
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

GROUPS = ("seeds", "samples", CORPUS)


@dataclass
class RealDocument:
    """One real document of the scorecard: its annotation and/or its file and gold values."""

    name: str
    group: str
    annotated: AnnotatedDocument | None = None
    source: Document | None = None  # the file as the reader reads it, when the project has it
    gold: Gold | None = None
    cluster: int = -1

    def text(self) -> str:
        if self.annotated is not None:
            return "\n".join(line.text for line in self.annotated.lines)
        return self.source.text if self.source is not None else ""


def real_documents(annotated: Sequence[AnnotatedDocument]) -> list[RealDocument]:
    """The annotated documents and every document with gold values, clustered by
    near-duplication (the same text under another body's name, another rendering of the
    same report, a fragment of a document; documents sharing gold are one cluster)."""
    files, gold = real_files(), load_gold()
    docs: dict[str, RealDocument] = {}
    for a in annotated:
        name = Path(a.source).name
        docs[name] = RealDocument(name, _group(name, files, gold), annotated=a)
    for name in gold:
        if name not in docs and name in files:
            docs[name] = RealDocument(name, _group(name, files, gold))
    for doc in docs.values():
        doc.gold = gold.get(doc.name)
        if doc.name in files and (doc.gold is not None or doc.annotated is None):
            try:
                doc.source = read_document(files[doc.name].path)
            except ReadError:
                doc.source = None
    linked = [g.names for g in gold.values()]
    clusters = near_duplicate_clusters({n: d.text() for n, d in docs.items()}, linked)
    for i, names in enumerate(sorted(clusters)):
        for name in names:
            docs[name].cluster = i
    return sorted(docs.values(), key=lambda d: (d.group, d.name))


def _group(name: str, files: dict, gold: dict[str, Gold]) -> str:
    if name in files:
        return files[name].group
    return gold[name].group if name in gold else "other"


# --- folds ---------------------------------------------------------------------------------


@dataclass
class Pass:
    """Tags and field counts of one pass over the real documents."""

    description: str
    gold_labels: dict[str, list[str]] = field(default_factory=dict)
    predicted: dict[str, list[str]] = field(default_factory=dict)
    fields: dict[str, Counter] = field(default_factory=dict)


def honest_scorecard(
    annotated: Sequence[AnnotatedDocument],
    generated: Sequence[AnnotatedDocument],
    params: dict | None = None,
    jobs: int = 2,
    notify: Callable[[str], None] | None = None,
    without_corpus: bool = True,
) -> dict:
    """Held-out scores of every real document, with and (`without_corpus`) without the
    corpus in training."""
    docs = real_documents(annotated)
    by_name = {d.name: d for d in docs}
    trainable = [d for d in docs if d.annotated is not None]
    passes = {"after": lambda d: {t.name for t in trainable if t.cluster != d.cluster}}
    if without_corpus:
        passes["before"] = lambda d: {
            t.name for t in trainable if t.cluster != d.cluster and t.group != CORPUS
        }
    plans = {name: {d.name: frozenset(train(d)) for d in docs} for name, train in passes.items()}
    models = _fit_all(
        {s for plan in plans.values() for s in plan.values()},
        by_name,
        generated,
        params,
        jobs,
        notify,
    )
    results = {}
    for name, plan in plans.items():
        description = (
            "each real document tagged by a model trained on the other clusters' annotated"
            " documents and the generated pages"
            + (", the corpus left out of training" if name == "before" else "")
        )
        results[name] = _score_pass(docs, plan, models, description)
    return {
        "method": (
            f"{len(docs)} real documents in {len({d.cluster for d in docs})} clusters of"
            f" near-duplicates, each cluster held out in turn; {len(trainable)} annotated,"
            f" {sum(d.gold is not None for d in docs)} with gold values;"
            f" {len(generated)} generated pages in every training set, never scored"
        ),
        "clusters": _clusters(docs),
        "lines_digest": lines_digest(trainable),
        **{name: _summary(run, docs) for name, run in results.items()},
    }


def lines_digest(docs: Sequence[RealDocument]) -> str:
    """What the line scores were measured on: every annotated line and label. Line scores
    measured on other lines (another cutting of one-line pages) are not comparable."""
    h = hashlib.sha256()
    for d in sorted(docs, key=lambda d: d.name):
        for line, label in zip(d.annotated.lines, d.annotated.labels, strict=True):
            h.update(f"{d.name}\t{line.no}\t{line.text}\t{label}\n".encode())
    return h.hexdigest()


def evaluate_fixed(labeller: Labeller, annotated: Sequence[AnnotatedDocument]) -> dict:
    """One model as it is on every real document; documents it was trained on are marked,
    because their scores say nothing about pages it has not seen."""
    docs = real_documents(annotated)
    seen = {d["doc_id"] for d in labeller.card.get("manifest", {}).get("annotated", [])}
    run = Pass(f"model {labeller.version} as it is")
    for doc in docs:
        _score_document(doc, labeller, run)
    summary = _summary(run, docs)
    trained_on = sorted(d.name for d in docs if d.annotated and d.annotated.doc_id in seen)
    summary["trained_on"] = trained_on
    summary["description"] += (
        f"; it was trained on {len(trained_on)} of these documents: their scores are not"
        " held-out scores"
    )
    return summary


def _fit_all(
    training_sets, by_name, generated, params, jobs, notify=None
) -> dict[frozenset, Labeller]:
    """One model per training set, on `jobs` processes; `notify` hears of each one done
    (a scorecard fits dozens of models: minutes without a word otherwise)."""
    features = {n: document_features(d.annotated.lines) for n, d in by_name.items() if d.annotated}
    extra = [document_features(g.lines) for g in generated]
    ordered = sorted(training_sets, key=lambda s: sorted(s))

    def one(names: frozenset) -> Labeller:
        chosen = sorted(names)
        return Labeller(params).fit(
            [by_name[n].annotated for n in chosen] + list(generated),
            [features[n] for n in chosen] + extra,
        )

    fitted = []
    run = Parallel(n_jobs=jobs, return_as="generator")(delayed(one)(s) for s in ordered)
    for model in run:
        fitted.append(model)
        if notify:
            notify(f"fitted {len(fitted)} of {len(ordered)} models")
    return dict(zip(ordered, fitted, strict=True))


def _score_pass(docs, plan, models, description) -> Pass:
    run = Pass(description)
    for doc in docs:
        _score_document(doc, models[plan[doc.name]], run)
    return run


def _score_document(doc: RealDocument, labeller: Labeller, run: Pass) -> None:
    tagged = None
    if doc.annotated is not None:
        tagged = labeller.predict(doc.annotated.lines)
        run.gold_labels[doc.name] = list(doc.annotated.labels)
        run.predicted[doc.name] = [t.label for t in tagged]
    if doc.gold is None:
        return
    if doc.source is not None:  # the page as a user runs it: read, cut, tag, assemble
        reports = extract_document(doc.source, labeller)["reports"]
    elif tagged is not None:  # known only by its annotated lines (a PDF's extracted text)
        reports = assemble(tagged)[0]
    else:
        return
    run.fields[doc.name] = compare(doc.gold.reports, reports)


def _summary(run: Pass, docs: Sequence[RealDocument]) -> dict:
    groups = {}
    for group in [*GROUPS, *sorted({d.group for d in docs} - set(GROUPS))]:
        members = [d.name for d in docs if d.group == group]
        if members:
            groups[group] = _pooled(run, members)
    per_document = {}
    for d in docs:
        entry = {"group": d.group, "cluster": d.cluster}
        if d.name in run.predicted:
            entry["line_accuracy"] = round(
                _accuracy(run.gold_labels[d.name], run.predicted[d.name]), 4
            )
        if d.name in run.fields:
            entry["fields"] = accuracy(run.fields[d.name])
        per_document[d.name] = entry
    return {
        "description": run.description,
        "groups": groups,
        "overall": _pooled(run, [d.name for d in docs]),
        "documents": per_document,
    }


def _pooled(run: Pass, names: Sequence[str]) -> dict:
    gold = [label for n in names if n in run.gold_labels for label in run.gold_labels[n]]
    predicted = [label for n in names if n in run.predicted for label in run.predicted[n]]
    counts = sum((run.fields[n] for n in names if n in run.fields), Counter())
    out: dict = {
        "documents": len(names),
        "annotated": sum(n in run.gold_labels for n in names),
        "with_gold": sum(n in run.fields for n in names),
    }
    if gold:
        out["lines"] = score(gold, predicted)
    if counts:
        out["fields"] = accuracy(counts)
        out["field_counts"] = dict(sorted(counts.items()))
    return out


def _clusters(docs: Sequence[RealDocument]) -> list[list[str]]:
    clusters: dict[int, list[str]] = {}
    for d in docs:
        clusters.setdefault(d.cluster, []).append(d.name)
    return [sorted(c) for _, c in sorted(clusters.items())]


# --- learning curve ------------------------------------------------------------------------


def learning_curve(
    annotated: Sequence[AnnotatedDocument],
    generated: Sequence[AnnotatedDocument],
    sizes: Sequence[int] = (0, 2, 4, 8, 16, 32),
    folds: int = 4,
    params: dict | None = None,
    jobs: int = 2,
    notify: Callable[[str], None] | None = None,
) -> list[dict]:
    """Scores on held-out real documents against the number of real annotated documents in
    training (plus the generated pages): clusters split into `folds`; for each fold and
    size, that many annotated documents drawn from the other folds."""
    docs = real_documents(annotated)
    by_name = {d.name: d for d in docs}
    clusters = sorted({d.cluster for d in docs})
    random.Random(0).shuffle(clusters)
    fold_of = {c: i % folds for i, c in enumerate(clusters)}
    plans: dict[tuple[int, int], frozenset] = {}
    for k in range(folds):
        pool = sorted(d.name for d in docs if d.annotated and fold_of[d.cluster] != k)
        for size in sizes:
            if size <= len(pool):
                plans[(k, size)] = frozenset(random.Random(size * 100 + k).sample(pool, size))
    models = _fit_all(set(plans.values()), by_name, generated, params, jobs, notify)
    points = []
    for size in sizes:
        run = Pass(f"{size} real documents")
        scored = []
        for (k, s), names in plans.items():
            if s != size:
                continue
            for d in docs:
                if fold_of[d.cluster] == k:
                    _score_document(d, models[names], run)
                    scored.append(d.name)
        if not scored:
            continue
        pooled = _pooled(run, scored)
        point = {"real_documents": size}
        if "lines" in pooled:
            point |= {k: pooled["lines"][k] for k in ("macro_f1", "accuracy")}
        point |= {k: v for k, v in pooled.get("fields", {}).items() if k in SCORED}
        points.append(point)
    return points


# --- scores --------------------------------------------------------------------------------


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


def _accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(len(gold), 1)


# --- as a person reads it --------------------------------------------------------------------

_COLUMNS = ("report_count", "metadata", "cells", "figures", "sections")


def format_summary(summary: dict, title: str) -> str:
    """One row per source group: lines (macro-F1, accuracy) and fields (right/total)."""
    out = [title, summary["description"], ""]
    head = f"{'group':<10}{'docs':>5}{'lines':>7}{'macro-F1':>10}{'accuracy':>10}"
    head += "".join(f"{c:>15}" for c in _COLUMNS)
    out.append(head)
    rows = [*summary["groups"].items(), ("overall", summary["overall"])]
    for group, s in rows:
        lines = s.get("lines")
        row = f"{group:<10}{s['documents']:>5}"
        row += (
            f"{lines['lines']:>7}{lines['macro_f1']:>10.4f}{lines['accuracy']:>10.4f}"
            if lines
            else f"{'-':>7}{'-':>10}{'-':>10}"
        )
        counts = s.get("field_counts", {})
        for c in _COLUMNS:
            total = counts.get(f"{c}.total", 0)
            row += f"{counts.get(f'{c}.right', 0):>8}/{total:<4}{'':>2}" if total else f"{'-':>15}"
        out.append(row)
    return "\n".join(out)


def format_labels(pooled: dict) -> str:
    """Per-label precision/recall/F1 and the confusion matrix of pooled lines."""
    report = pooled["lines"]
    out = [f"{'label':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for label, s in report["per_label"].items():
        out.append(
            f"{label:<14}{s['precision']:>10.3f}{s['recall']:>10.3f}{s['f1']:>10.3f}"
            f"{s['support']:>10d}"
        )
    labels = report["confusion"]["labels"]
    out += ["", "confusion (rows: gold, columns: predicted)"]
    out.append(" " * 14 + "".join(f"{label[:7]:>8}" for label in labels))
    for label, row in zip(labels, report["confusion"]["matrix"], strict=True):
        out.append(f"{label:<14}" + "".join(f"{v:>8d}" for v in row))
    return "\n".join(out)


def format_documents(summary: dict) -> str:
    out = [f"{'document':<44}{'group':<9}{'lines':>8}  fields"]
    for name, d in summary["documents"].items():
        fields = d.get("fields", {})
        shown = " ".join(f"{k}={fields[k]:.2f}" for k in _COLUMNS if k in fields)
        line = f"{d['line_accuracy']:.4f}" if "line_accuracy" in d else "-"
        out.append(f"{name:<44}{d['group']:<9}{line:>8}  {shown}")
    return "\n".join(out)


def write_scorecard(scorecard: dict, out: Path) -> None:
    """scorecard.json, confusion.png and (with a learning curve) learning_curve.png."""
    from nianbao.training.plots import confusion_png, learning_curve_png

    out.mkdir(parents=True, exist_ok=True)
    (out / "scorecard.json").write_text(
        json.dumps(scorecard, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    overall = scorecard["after"]["overall"]
    if "lines" in overall:
        confusion_png(
            {"method": "held-out real documents", **overall["lines"]}, out / "confusion.png"
        )
    if scorecard.get("learning_curve"):
        learning_curve_png(scorecard["learning_curve"], out / "learning_curve.png")


def format_scorecard(scorecard: dict) -> str:
    """The scorecard as a person reads it: per group, per label, per document."""
    out = ["honest scorecard: " + scorecard["method"], ""]
    out += [format_summary(scorecard["after"], "every real document, held out"), ""]
    if "before" in scorecard:
        out += [
            format_summary(scorecard["before"], "the same, before the corpus joined training"),
            "",
        ]
    if "lines" in scorecard["after"]["overall"]:
        out += [format_labels(scorecard["after"]["overall"]), ""]
    out.append(format_documents(scorecard["after"]))
    for point in scorecard.get("learning_curve", []):
        shown = ", ".join(f"{k} {v:.4f}" for k, v in point.items() if k != "real_documents")
        out.append(f"learning curve: {point['real_documents']} real documents -> {shown}")
    return "\n".join(out)
