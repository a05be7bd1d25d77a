"""The CRF line labeller: lines -> one label and a confidence per line."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

import joblib

from model.features import document_features
from model.lines import Line

SHIPPED_MODEL = Path(__file__).parent / "shipped"
CRF_FILE = "crf.joblib"
CARD_FILE = "model.json"


@dataclass(frozen=True)
class TaggedLine:
    line: Line
    label: str
    confidence: float  # the CRF's marginal probability of `label` on this line


class Labeller:
    """A trained CRF with its model card (version, labels, training figures)."""

    def __init__(self, crf, card: dict) -> None:
        self.crf = crf
        self.card = card
        self._tagger_lock = threading.Lock()  # crfsuite's tagger is not safe across threads

    def __getstate__(self) -> dict:  # a lock cannot travel to another process
        return {"crf": self.crf, "card": self.card}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["crf"], state["card"])

    @property
    def version(self) -> str:
        return self.card["version"]

    @classmethod
    def load(cls, directory: str | Path | None = None) -> Labeller:
        """Load a model directory (default: the model shipped in the repository)."""
        directory = Path(directory) if directory else SHIPPED_MODEL
        card_path, crf_path = directory / CARD_FILE, directory / CRF_FILE
        if not crf_path.is_file() or not card_path.is_file():
            raise FileNotFoundError(
                f"no model in {directory} (expected {CRF_FILE} and {CARD_FILE})"
            )
        card = json.loads(card_path.read_text(encoding="utf-8"))
        return cls(joblib.load(crf_path), card)

    def save(self, directory: str | Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.crf, directory / CRF_FILE, compress=3)
        (directory / CARD_FILE).write_text(
            json.dumps(self.card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )

    def tag(self, lines: list[Line]) -> list[TaggedLine]:
        if not lines:
            return []
        features = document_features(lines)
        with self._tagger_lock:
            marginals = self.crf.predict_marginals_single(features)
        tagged = []
        for line, probs in zip(lines, marginals, strict=True):
            label = max(probs, key=probs.get)
            tagged.append(TaggedLine(line=line, label=label, confidence=float(probs[label])))
        return tagged
