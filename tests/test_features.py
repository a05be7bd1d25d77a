"""The features' tokenizer: rjieba must cut as jieba does, or the shipped model's tokens drift."""

from __future__ import annotations

import logging

import pytest
from nianbao.model import features, vocabulary
from nianbao.training.dataset import load_annotated
from nianbao.training.train import generated_documents


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


def test_tagging_gives_each_line_its_most_probable_label_under_the_marginals():
    """The shortcut (the Viterbi label where its marginal is over one half) must give what
    comparing every label's marginal gives, on every line of every real document."""
    from nianbao.model.labeller import load_model
    from nianbao.model.lines import split_lines
    from nianbao.model.read import read_document
    from nianbao.training.real_documents import real_files

    labeller = load_model()
    uncertain = 0
    for real in real_files().values():
        lines = split_lines(read_document(real.path).text)
        tagged = labeller.predict(lines)
        tagger = labeller._open()  # predict left this document in the tagger
        for i, t in enumerate(tagged):
            probs = {label: tagger.marginal(label, i) for label in tagger.labels()}
            best = max(probs, key=probs.get)
            assert (t.label, t.confidence) == (best, probs[best]), (real.name, i)
            uncertain += t.confidence <= 0.5
    assert uncertain > 0  # the branch that compares every label was taken too


def test_tagging_sees_the_training_attributes_less_those_of_weight_zero(seeds):
    """Tagging is fed names only; they must be the trained attributes, in their order."""
    from nianbao.model.lines import split_lines

    for seed in seeds:
        lines = split_lines(seed.read_text(encoding="utf-8"))
        weighted = features.document_features(lines)
        assert any(0.0 in line.values() for line in weighted)  # there are flags not set
        expected = [[name for name, weight in line.items() if weight] for line in weighted]
        assert features.tagging_features(lines) == expected
