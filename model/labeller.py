"""The CRF line labeller: lines -> one label and a confidence per line."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from model.features import document_features
from model.lines import Line, TaggedLine

SHIPPED_MODEL = Path(__file__).parent / "shipped"
CRF_FILE = "crf.crfsuite"  # crfsuite's own model file
CARD_FILE = "model.json"


class CrfTagger:
    """crfsuite's tagger on a model file's bytes: what tagging needs, without importing
    scikit-learn (160 MB and a second in every worker process)."""

    def __init__(self, model: bytes) -> None:
        self.model = model
        self._tagger = None

    @classmethod
    def of(cls, crf) -> CrfTagger:
        """The tagger of a CRF that sklearn-crfsuite has just trained."""
        return cls(Path(crf.modelfile.name).read_bytes())

    def predict_marginals_single(self, xseq: list[dict]) -> list[dict[str, float]]:
        if self._tagger is None:
            import pycrfsuite

            self._tagger = pycrfsuite.Tagger()
            self._tagger.open_inmemory(self.model)
        labels = self._tagger.labels()
        self._tagger.set(xseq)
        return [
            {label: self._tagger.marginal(label, i) for label in labels} for i in range(len(xseq))
        ]

    def __getstate__(self) -> dict:
        return {"model": self.model}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["model"])


class Labeller:
    """A trained CRF with its model card (version, labels, training figures)."""

    def __init__(self, crf: CrfTagger, card: dict) -> None:
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
        return cls(CrfTagger(crf_path.read_bytes()), card)

    def save(self, directory: str | Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / CRF_FILE).write_bytes(self.crf.model)
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
