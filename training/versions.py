"""Model versions: where trained models go, and the rule for shipping one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from nianbao.model.labeller import CARD_FILE, CRF_FILE, PREVIOUS_CRF_FILE, SHIPPED_MODEL, load_model

MODELS_DIR = Path(__file__).resolve().parent / "models"


HEADLINE = (
    ("line macro-F1", ("lines", "macro_f1")),
    ("report count", ("fields", "report_count")),
    ("metadata", ("fields", "metadata")),
    ("table cells", ("fields", "cells")),
    ("figures", ("fields", "figures")),
)


def card_evaluation(scorecard: dict) -> dict:
    """What the model card keeps of the honest scorecard: pooled figures per group, with
    and without the corpus in training, and the documents they were measured on."""
    return {
        "method": scorecard["method"],
        "lines_digest": scorecard.get("lines_digest"),
        **{
            name: {
                "description": scorecard[name]["description"],
                "overall": _without_confusion(scorecard[name]["overall"]),
                "groups": {g: _without_confusion(s) for g, s in scorecard[name]["groups"].items()},
                "documents": sorted(scorecard[name]["documents"]),
            }
            for name in ("after", "before")
        },
    }


def _without_confusion(pooled: dict) -> dict:
    out = {k: v for k, v in pooled.items() if k != "lines"}
    if "lines" in pooled:
        out["lines"] = {k: pooled["lines"][k] for k in ("lines", "accuracy", "macro_f1")}
    return out


def not_worse(candidate: dict, shipped: dict) -> tuple[bool, str]:
    """Compare honest scorecards on the headline figures (overall, held-out real documents).

    When the shipped model's scorecard was measured on other documents (new annotations
    came in since), the comparison on the same documents is with the candidate's own
    "before" pass: the same recipe trained without the corpus, i.e. without what is new.
    Line scores are compared only when measured on the same labelled lines: when the
    cutting of one-line pages changed, the lines are other lines (the fields are the same
    gold and are compared all the same).
    """
    new = candidate.get("after", {})
    old, against = shipped.get("after", {}), "shipped"
    if not old or old.get("documents") != new.get("documents"):
        old, against = candidate.get("before", {}), "training without the corpus"
    same_lines = against != "shipped" or candidate.get("lines_digest") == shipped.get(
        "lines_digest"
    )
    reasons, ok = [], True
    if not same_lines:
        reasons.append("line scores not compared (measured on other lines: the cutting changed)")
    for name, (part, key) in HEADLINE:
        if part == "lines" and not same_lines:
            continue
        a = new.get("overall", {}).get(part, {}).get(key)
        b = old.get("overall", {}).get(part, {}).get(key)
        if a is None or b is None:
            continue
        reasons.append(f"{name} {a:.4f} vs {against} {b:.4f}")
        ok = ok and a >= b - 1e-9
    return ok, "; ".join(reasons) or "no comparable honest scorecard"


def promote(model_dir: str | Path, shipped_dir: Path = SHIPPED_MODEL) -> tuple[bool, str]:
    """Replace the shipped model with `model_dir` only if its scores are not worse."""
    candidate = load_model(model_dir)
    try:
        shipped = load_model(shipped_dir)
    except FileNotFoundError:
        shipped = None
    if shipped is not None:
        ok, why = not_worse(
            candidate.card.get("evaluation", {}), shipped.card.get("evaluation", {})
        )
        if not ok:
            return False, f"not promoted: {candidate.version} scores worse ({why})"
    else:
        why = "no model was shipped"
    shipped_dir.mkdir(parents=True, exist_ok=True)
    # The card goes last and in one step: a running service reloads when the card changes,
    # and by then the model file it names is already in place. Until the card is in, the
    # model file it still names stays beside it (PREVIOUS_CRF_FILE), so a promotion cut
    # short at any point leaves the old model or the new one, never half of each.
    files = sorted(
        (p for p in Path(model_dir).iterdir() if p.is_file()), key=lambda p: p.name == CARD_FILE
    )
    staged = []
    for path in files:
        tmp = shipped_dir / f".{path.name}.tmp"
        shutil.copy2(path, tmp)
        staged.append((tmp, shipped_dir / path.name))
    previous = shipped_dir / PREVIOUS_CRF_FILE
    if (shipped_dir / CRF_FILE).exists():
        previous.unlink(missing_ok=True)
        os.link(shipped_dir / CRF_FILE, previous)
    for tmp, target in staged:
        os.replace(tmp, target)
    previous.unlink(missing_ok=True)
    return True, f"promoted {candidate.version} to {shipped_dir} ({why})"
