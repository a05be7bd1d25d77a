"""Choose the CRF's c1/c2 and the number of generated pages by cross-validation grouped
by document: leave-one-document-out over the real annotated documents, generated pages
in every training fold. Prints one line per setting; run it after the data changes:

    python -m training.tune            # ~15 minutes on 2 cores
"""

from __future__ import annotations

import itertools
import time

from joblib import Parallel, delayed

from training.dataset import load_annotated
from training.evaluate import leave_one_document_out
from training.synthetic import generate_corpus
from training.train import DEFAULT_PARAMS, GENERATED

C1 = (0.02, 0.05, 0.15)
C2 = (0.01, 0.05, 0.2)
GENERATED_COUNTS = (25, 50, 100)


def _score(docs, params: dict, n_generated: int) -> tuple[dict, int, float, float]:
    started = time.time()
    extra = generate_corpus(n_generated, seed=GENERATED["seed"])
    report = leave_one_document_out(docs, params, extra)
    return params, n_generated, report["macro_f1"], time.time() - started


def main() -> None:
    docs = load_annotated()
    grid = [{**DEFAULT_PARAMS, "c1": c1, "c2": c2} for c1, c2 in itertools.product(C1, C2)]
    results = Parallel(n_jobs=2)(delayed(_score)(docs, p, GENERATED["documents"]) for p in grid)
    for params, n, f1, seconds in sorted(results, key=lambda r: -r[2]):
        print(
            f"c1={params['c1']:<5} c2={params['c2']:<5} generated={n:<4} macro-F1={f1:.4f}  ({seconds:.0f} s)"
        )
    best = max(results, key=lambda r: r[2])[0]
    mix = Parallel(n_jobs=2)(delayed(_score)(docs, best, n) for n in GENERATED_COUNTS)
    for params, n, f1, seconds in mix:
        print(
            f"c1={params['c1']:<5} c2={params['c2']:<5} generated={n:<4} macro-F1={f1:.4f}  ({seconds:.0f} s)"
        )


if __name__ == "__main__":
    main()
