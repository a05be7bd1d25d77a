"""The scorecard's pictures: the confusion matrix and the learning curve, as PNG files."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402


def confusion_png(report: dict, path: str | Path) -> None:
    labels, matrix = report["confusion"]["labels"], report["confusion"]["matrix"]
    fig, ax = plt.subplots(figsize=(8, 7))
    rows = [max(sum(r), 1) for r in matrix]
    shares = [[v / rows[i] for v in r] for i, r in enumerate(matrix)]
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                ax.text(
                    j,
                    i,
                    str(value),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if shares[i][j] > 0.6 else "black",
                )
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(f"{report.get('method', '')}\nmacro-F1 {report['macro_f1']:.3f}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def learning_curve_png(points: list[dict], path: str | Path) -> None:
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    xs = [p["real_documents"] for p in points]
    shown = (
        ("macro_f1", "line macro-F1", "o"),
        ("accuracy", "line accuracy", "s"),
        ("report_count", "reports counted right", "^"),
        ("metadata", "metadata", "v"),
        ("cells", "table cells", "D"),
    )
    for key, name, marker in shown:
        if all(key in p for p in points):
            ax.plot(xs, [p[key] for p in points], marker=marker, label=name)
    ax.set_xlabel("real annotated documents in training (plus the generated pages)")
    ax.set_ylabel("score on held-out real documents")
    ax.set_ylim(0.45, 1.0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(
        "Learning curve: clusters in 4 folds, real documents drawn from the others", fontsize=9
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
