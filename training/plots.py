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
    fig, ax = plt.subplots(figsize=(6, 4))
    xs = [p["real_documents"] for p in points]
    ax.plot(xs, [p["macro_f1"] for p in points], marker="o", label="line macro-F1")
    ax.plot(xs, [p["accuracy"] for p in points], marker="s", label="line accuracy")
    ax.set_xlabel("real annotated documents in training (plus the generated pages)")
    ax.set_ylabel("score on the held-out document")
    ax.set_ylim(min(0.5, *(p["macro_f1"] for p in points)) - 0.02, 1.0)
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title("Learning curve, leave-one-document-out", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
