"""`summary.html`: one self-contained page (no network: the plots are inline SVG, their
text left as text so the browser's CJK fonts draw the names) saying what the dataset
holds and where to look first."""

from __future__ import annotations

import html
import io
from collections import Counter
from pathlib import Path

from nianbao.serving.dataset.panel import PanelReport

MOST_BODIES = 60  # rows of the coverage plot: beyond that it is unreadable


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _plots(reports: list[PanelReport], checks: list[dict]) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"  # text stays text: the browser draws the CJK
    plots = {}

    placed = [r for r in reports if r.year is not None]
    years = sorted({r.year for r in placed})
    templates = sorted({r.chosen.template or "none" for r in placed})
    figure, ax = plt.subplots(figsize=(8, 3.2))
    bottom = [0] * len(years)
    for template in templates:
        counts = Counter(r.year for r in placed if (r.chosen.template or "none") == template)
        heights = [counts.get(y, 0) for y in years]
        ax.bar([str(y) for y in years], heights, bottom=bottom, label=template)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_ylabel("reports")
    ax.legend(title="template", fontsize=8)
    ax.tick_params(axis="x", rotation=60, labelsize=8)
    plots["Reports per year, by template"] = _svg(figure)
    plt.close(figure)

    have = {(r.body, r.year) for r in placed}
    years_of = Counter(body for body, _ in have if body)
    bodies = sorted(sorted(years_of, key=lambda b: (-years_of[b], b))[:MOST_BODIES])
    figure, ax = plt.subplots(figsize=(8, 0.3 * len(bodies) + 1.2))
    grid = [[1 if (b, y) in have else 0 for y in years] for b in bodies]
    ax.imshow(grid or [[0]], aspect="auto", cmap="Greens", vmin=0, vmax=1)
    ax.set_xticks(range(len(years)), [str(y) for y in years], rotation=60, fontsize=7)
    ax.set_yticks(range(len(bodies)), bodies, fontsize=7)
    shown = (
        f" (the {len(bodies)} bodies with the most years of {len(years_of)})"
        if len(years_of) > len(bodies)
        else ""
    )
    plots[f"Bodies x years: which reports the dataset holds{shown}"] = _svg(figure)
    plt.close(figure)

    failing = Counter(
        c["name"].split(".")[0] + (" (" + c["kind"] + ")") for c in checks if not c["ok"]
    )
    figure, ax = plt.subplots(figsize=(8, 0.35 * max(len(failing), 1) + 1))
    kinds = sorted(failing, key=failing.get)
    ax.barh(kinds or ["none"], [failing[k] for k in kinds] or [0], color="#c0392b")
    ax.set_xlabel("failing checks")
    ax.tick_params(axis="y", labelsize=8)
    plots["Checks failing, by kind"] = _svg(figure)
    plt.close(figure)
    return plots


def write_summary(
    path: Path, reports: list[PanelReport], checks: list[dict], bodies: list[dict]
) -> None:
    plots = _plots(reports, checks)
    unsure = sorted(reports, key=lambda r: r.chosen.confidence or 0)[:15]
    failing = Counter(c["report_id"] for c in checks if not c["ok"] and c["report_id"])
    rows = "".join(
        "<tr>"
        f"<td>{html.escape(str(r.body or '-'))}</td><td>{r.year or '-'}</td>"
        f"<td>{(r.chosen.confidence or 0):.4f}</td><td>{failing.get(r.id, 0)}</td>"
        f"<td>{html.escape(str(r.chosen.source['path']))}</td>"
        "</tr>"
        for r in unsure
    )
    figures = "".join(
        f'<figure class="plot"><figcaption>{html.escape(title)}</figcaption>{svg}</figure>'
        for title, svg in plots.items()
    )
    n_bodies = len({b["canonical"] for b in bodies})
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>nianbao dataset</title>
<style>
body {{ font-family: "Noto Sans CJK SC", sans-serif; margin: 2em; max-width: 60em; }}
figure.plot {{ margin: 1.5em 0; }} figcaption {{ font-weight: bold; margin-bottom: .5em; }}
table {{ border-collapse: collapse; font-size: 90%; }} td, th {{ border: 1px solid #ccc; padding: .2em .5em; }}
</style></head><body>
<h1>nianbao dataset</h1>
<p>{len(reports)} reports of {n_bodies} bodies, from {sum(len(r.copies) for r in reports) + sum(len(g) for r in reports for g in r.disagreeing)} report copies
({sum(len(g) for r in reports for g in r.disagreeing)} of them disagreeing with the copy kept);
{sum(1 for c in checks if not c["ok"])} of {len(checks)} checks failing.</p>
{figures}
<h2>The least confident reports: look at these first</h2>
<table id="least-confident"><tr><th>body</th><th>year</th><th>confidence</th><th>failing checks</th><th>source</th></tr>
{rows}</table>
</body></html>
"""
    from nianbao.serving.dataset.outputs import write_text_whole

    write_text_whole(path, lambda f: f.write(page))
