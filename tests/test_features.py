"""The features' tokenizer: rjieba must cut as jieba does, or the shipped model's tokens drift."""

from __future__ import annotations

import logging

import pytest

from model import features, vocabulary
from training.dataset import load_annotated
from training.train import generated_documents


def test_rjieba_cuts_every_training_line_as_jieba_does():
    """The model was trained on jieba 0.42's words; rjieba is only a faster way to the same."""
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(logging.WARNING)
    for word in features.TOKENIZER_WORDS:
        jieba.add_word(word, freq=200000)
    pieces = set()
    for document in load_annotated() + generated_documents():
        for line in document.lines:
            _, rest = features._numbering(vocabulary.normalise(line.text).replace("|", ""))
            pieces.update(p for p in (rest[:12], rest[-6:]) if p)
    assert len(pieces) > 5_000
    differing = [p for p in pieces if features.words(p) != jieba.lcut(p, HMM=False)]
    assert differing == []
