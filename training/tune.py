"""Choose the CRF's c1/c2 on the honest scorecard: every real document held out with its
near-duplicates, generated pages in every training set. Prints one line per setting, best
first; run it after the data changes:

    .venv/bin/.venv/bin/python -m nianbao.training.tune            # about 1 minute a setting on 2 cores
    .venv/bin/.venv/bin/python -m nianbao.training.tune --help
"""

from __future__ import annotations

import argparse
import itertools
import time

from nianbao.model.labeller import DEFAULT_PARAMS
from nianbao.training.dataset import load_annotated
from nianbao.training.evaluate import honest_scorecard
from nianbao.training.train import generated_documents

C1 = (0.02, 0.05, 0.1)
C2 = (0.01, 0.05, 0.1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m nianbao.training.tune", description=__doc__)
    parser.add_argument("--c1", type=float, nargs="+", default=C1)
    parser.add_argument("--c2", type=float, nargs="+", default=C2)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    docs, generated = load_annotated(), generated_documents()
    results = []
    for c1, c2 in itertools.product(args.c1, args.c2):
        started = time.time()
        params = {**DEFAULT_PARAMS, "c1": c1, "c2": c2}
        card = honest_scorecard(docs, generated, params, jobs=args.jobs, without_corpus=False)
        overall = card["after"]["overall"]
        results.append((overall["lines"]["macro_f1"], overall["fields"], c1, c2))
        print(
            f"c1={c1:<5} c2={c2:<5} line macro-F1 {overall['lines']['macro_f1']:.4f}"
            f" accuracy {overall['lines']['accuracy']:.4f}"
            f" reports {overall['fields'].get('report_count', 0):.4f}"
            f" metadata {overall['fields'].get('metadata', 0):.4f}"
            f" cells {overall['fields'].get('cells', 0):.4f}  ({time.time() - started:.0f} s)",
            flush=True,
        )
    print("best:", max(results, key=lambda r: r[0])[2:])


if __name__ == "__main__":
    main()
