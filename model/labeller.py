"""The CRF line labeller: lines -> one label and a confidence per line.

An estimator: `Labeller(params).fit(documents)` trains it, `predict(lines)` tags lines,
`get_params()` says how it was made; `load_model(path | None)` reads a saved one (the
shipped model by default) and is how the CLI, the batch workers and the service get it.
Tagging takes each line's most probable label under the CRF's marginals (its confidence),
the one decoder used everywhere: extraction, evaluation, the learning curve, the service.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from nianbao.model.features import Attributes, document_features, tagging_features
from nianbao.model.lines import Line, TaggedLine

SHIPPED_MODEL = Path(__file__).parent / "shipped"
CRF_FILE = "crf.crfsuite"  # crfsuite's own model file
CARD_FILE = "model.json"
PREVIOUS_CRF_FILE = ".crf.crfsuite.previous"  # the old model file, while a promotion is under way
# Chosen by `.venv/bin/python -m nianbao.training.tune` (the honest scorecard over every real document).
DEFAULT_PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 200}


class LabelledDocument(Protocol):
    lines: Sequence[Line]
    labels: Sequence[str]


class Labeller:
    """A linear-chain CRF over line features, with its model card (version, parameters,
    what it was trained on, its scores)."""

    def __init__(
        self, params: dict | None = None, model: bytes | None = None, card: dict | None = None
    ) -> None:
        self.params = {**DEFAULT_PARAMS, **(params or {})}
        self.model = model  # crfsuite's model file, once fitted
        self.card = card or {"version": "crf-unsaved", "params": self.params}
        self._tagger = None
        self._lock = threading.Lock()  # crfsuite's tagger is not safe across threads

    def get_params(self) -> dict:
        return dict(self.params)

    @property
    def version(self) -> str:
        return self.card["version"]

    def fit(
        self,
        documents: Sequence[LabelledDocument],
        features: Sequence[list[Attributes]] | None = None,
    ) -> Labeller:
        """Train on documents (pass their `features` to skip computing them again)."""
        import sklearn_crfsuite  # training only: tagging needs no scikit-learn

        X = (
            list(features)
            if features is not None
            else [document_features(d.lines) for d in documents]
        )
        crf = sklearn_crfsuite.CRF(
            algorithm="lbfgs",
            c1=self.params["c1"],
            c2=self.params["c2"],
            max_iterations=self.params["max_iterations"],
            all_possible_transitions=True,
        )
        crf.fit(X, [list(d.labels) for d in documents])
        self.model = Path(crf.modelfile.name).read_bytes()
        self._tagger = None
        return self

    def predict(self, lines: Sequence[Line]) -> list[TaggedLine]:
        """Each line's label: the most probable under the CRF's marginals, its confidence."""
        return self.tag(lines, tagging_features(lines))

    def tag(
        self, lines: Sequence[Line], features: Sequence[Attributes | list[str]]
    ) -> list[TaggedLine]:
        """`predict` for lines whose features are already computed."""
        if not lines:
            return []
        if self.model is None:
            raise ValueError("the labeller has not been fitted")
        with self._lock:
            tagger = self._open()
            tagger.set(features)
            return [
                TaggedLine(line=line, label=label, confidence=confidence)
                for line, (label, confidence) in zip(
                    lines, self._best_marginals(tagger), strict=True
                )
            ]

    @staticmethod
    def _best_marginals(tagger) -> list[tuple[str, float]]:
        """Each position's most probable label under the marginals, and its probability.

        Asking crfsuite for every label's marginal at every line cost a third of tagging.
        A label whose marginal is over one half is the most probable, so the Viterbi path's
        label is taken where its marginal is over 0.5 (nearly every line) and all labels
        are compared only elsewhere: the same labels and confidences, 8x fewer calls.
        """
        labels = tagger.labels()
        best = []
        for i, label in enumerate(tagger.tag()):
            p = tagger.marginal(label, i)
            if p <= 0.5:
                probs = {lab: tagger.marginal(lab, i) for lab in labels}
                label = max(probs, key=probs.get)
                p = probs[label]
            best.append((label, float(p)))
        return best

    def warm_up(self) -> Labeller:
        """Open the tagger and load the tokenizer now, e.g. before forking workers."""
        self.predict([Line(1, "政府信息公开工作年度报告", "政府信息公开工作年度报告")])
        return self

    def _open(self):
        if self._tagger is None:
            import pycrfsuite

            self._tagger = pycrfsuite.Tagger()
            self._tagger.open_inmemory(self.model)
        return self._tagger

    def save(self, directory: str | Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / CRF_FILE).write_bytes(self.model)
        (directory / CARD_FILE).write_text(
            json.dumps(self.card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )

    def __getstate__(self) -> dict:  # a tagger and a lock cannot travel to another process
        return {"params": self.params, "model": self.model, "card": self.card}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["params"], state["model"], state["card"])


def load_model(directory: str | Path | None = None) -> Labeller:
    """A saved model directory (default: the model shipped in the repository).

    A version made by training ends in its model file's hash. A card and model file that
    disagree are a promotion in progress or cut short (training/versions.py replaces the
    model file first, the card last, and keeps the model file the old card names beside
    it until then): the card's own model file is taken, or both are read again until
    they agree. They are never served as one model.
    """
    directory = Path(directory) if directory else SHIPPED_MODEL
    card_path, crf_path = directory / CARD_FILE, directory / CRF_FILE
    for _ in range(50):
        if not crf_path.is_file() or not card_path.is_file():
            raise FileNotFoundError(
                f"no model in {directory} (expected {CRF_FILE} and {CARD_FILE})"
            )
        card = json.loads(card_path.read_text(encoding="utf-8"))
        for candidate in (crf_path, directory / PREVIOUS_CRF_FILE):
            try:
                model = candidate.read_bytes()
            except FileNotFoundError:
                continue
            if _card_names(card, model):
                return Labeller(card.get("params"), model, card)
        time.sleep(0.1)
    raise ModelMismatch(f"the model in {directory} does not match its card {CARD_FILE}")


class ModelMismatch(Exception):
    """A model directory whose card names another model file (a promotion cut short)."""


def _card_names(card: dict, model: bytes) -> bool:
    stamp = re.fullmatch(r"crf-\d{4}-\d{2}-\d{2}-([0-9a-f]{6})", str(card.get("version", "")))
    return stamp is None or hashlib.sha256(model).hexdigest().startswith(stamp.group(1))
