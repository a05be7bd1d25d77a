"""Model versions: where trained models go, and the rule for shipping one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from model.labeller import CARD_FILE, SHIPPED_MODEL, Labeller

MODELS_DIR = Path(__file__).resolve().parent / "models"


def not_worse(candidate: dict, shipped: dict) -> tuple[bool, str]:
    """Compare leave-one-document-out scores: line macro-F1 and gold cell accuracy."""
    reasons, ok = [], True
    for name, get in (
        ("line macro-F1", lambda e: e.get("macro_f1")),
        ("table cell accuracy", lambda e: e.get("fields", {}).get("cells")),
    ):
        new, old = get(candidate), get(shipped)
        if new is None or old is None:
            continue
        reasons.append(f"{name} {new:.4f} vs shipped {old:.4f}")
        ok = ok and new >= old - 1e-9
    return ok, "; ".join(reasons) or "the shipped model has no comparable scores"


def promote(model_dir: str | Path, shipped_dir: Path = SHIPPED_MODEL) -> tuple[bool, str]:
    """Replace the shipped model with `model_dir` only if its scores are not worse."""
    candidate = Labeller.load(model_dir)
    try:
        shipped = Labeller.load(shipped_dir)
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
    # and by then the model file it names is already in place.
    files = sorted(
        (p for p in Path(model_dir).iterdir() if p.is_file()), key=lambda p: p.name == CARD_FILE
    )
    for path in files:
        tmp = shipped_dir / f".{path.name}.tmp"
        shutil.copy2(path, tmp)
        os.replace(tmp, shipped_dir / path.name)
    return True, f"promoted {candidate.version} to {shipped_dir} ({why})"
