"""The Label Studio task format: one `<Paragraphs>` item per non-blank line.

Hand-made annotations (the seeds) and annotators' exports are stored in the same
shape, Label Studio's JSON export: a list of tasks, each with `data.lines` and its
`annotations`. This module turns lines + labels into that shape and back.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from label_studio_sdk.label_interface import LabelInterface
from nianbao.model.lines import LABELS, Line, cut_line, source_lines

FROM_NAME = "line_tag"
TO_NAME = "doc"


def label_config() -> str:
    """The labelling config: single-choice ParagraphLabels over one paragraph per line."""
    labels = "\n".join(f'    <Label value="{label}"/>' for label in LABELS)
    return (
        "<View>\n"
        f'  <ParagraphLabels name="{FROM_NAME}" toName="{TO_NAME}" choice="single">\n'
        f"{labels}\n"
        "  </ParagraphLabels>\n"
        f'  <Paragraphs name="{TO_NAME}" value="$lines" nameKey="no" textKey="text"'
        ' layout="none" savetextresult="yes"/>\n'
        "</View>"
    )


@dataclass
class AnnotatedDocument:
    """A document's non-blank lines with one gold label each."""

    doc_id: str
    source: str
    lines: list[Line]
    labels: list[str]


def task_data(
    doc_id: str, source: str, sha256: str, lines: Sequence[Line], text: str | None = None
) -> dict:
    """`data` of a task. `raw` keeps trailing blanks: they are blank table cells.

    A line that lost its line breaks is shown as the pieces the labeller sees, each with its
    span in the source line; the source line itself is kept (`source_lines`), so that the
    labels can be carried onto the pieces of a later re-segmentation (`annotated_document`).
    """
    data = {
        "doc_id": doc_id,
        "source": source,
        "sha256": sha256,
        "lines": [_line_item(line) for line in lines],
    }
    cut = sorted({line.no for line in lines if line.span is not None})
    if cut and text is not None:
        originals = source_lines(text)
        data["source_lines"] = {str(no): originals[no - 1] for no in cut}
    return data


def validate_prediction(interface: LabelInterface, task: dict, result: list[dict]) -> list[str]:
    """What Label Studio would store silently but the loop cannot use: what the labelling
    config does not allow (label-studio-sdk's LabelInterface: unknown controls and labels),
    regions outside the task's lines, offsets not in UTF-16 code units."""
    problems = interface.validate_prediction({"result": result}, return_errors=True) or []
    lines = task["data"]["lines"]
    for item in result:
        value = item.get("value", {})
        start = int(value.get("start", -1))
        if not 0 <= start < len(lines):
            problems.append(f"region {item.get('id')}: line {start} outside the task")
        elif value.get("endOffset") != len(lines[start]["text"].encode("utf-16-le")) // 2:
            problems.append(f"region {item.get('id')}: endOffset not counted in UTF-16 code units")
    return problems


def _line_item(line: Line) -> dict:
    item = {"no": str(line.no), "text": line.text, "raw": line.raw}
    if line.span is not None:
        item["span"] = list(line.span)
    return item


def result_items(
    lines: Sequence[Line], labels: Sequence[str], scores: Sequence[float] | None = None
) -> list[dict]:
    """One result region per line; offsets in UTF-16 code units, as the UI counts them."""
    items = []
    for index, (line, label) in enumerate(zip(lines, labels, strict=True)):
        item = {
            "id": f"line{line.no}",
            "from_name": FROM_NAME,
            "to_name": TO_NAME,
            "type": "paragraphlabels",
            "value": {
                "start": str(index),
                "end": str(index),
                "startOffset": 0,
                "endOffset": len(line.text.encode("utf-16-le")) // 2,
                "text": line.text,
                "paragraphlabels": [label],
            },
        }
        if scores is not None:
            item["score"] = round(float(scores[index]), 4)
        items.append(item)
    return items


def lines_of_task(task: dict) -> list[Line]:
    return [
        Line(
            no=int(x["no"]),
            text=x["text"],
            raw=x.get("raw", x["text"]),
            span=tuple(x["span"]) if x.get("span") else None,
        )
        for x in task["data"]["lines"]
    ]


Mark = tuple[str, int]  # a character's label and the region that gave it


def _coverage(result: Iterable[dict], lines: Sequence[Line]) -> list[list[Mark | None]]:
    """Per line, the label of each of its characters (with the region it came from)."""
    chars: list[list[Mark | None]] = [[None] * len(line.text) for line in lines]
    for rid, region in enumerate(result):
        value = region.get("value", {})
        tags = value.get("paragraphlabels") or []
        if region.get("from_name") != FROM_NAME or not tags or "start" not in value:
            continue
        start, end = int(value["start"]), int(value.get("end", value["start"]))
        for i in range(max(start, 0), min(end, len(lines) - 1) + 1):
            text = lines[i].text
            a = _index(text, value.get("startOffset")) if i == start else 0
            b = _index(text, value.get("endOffset")) if i == end else len(text)
            if b <= a:  # no usable offsets: the whole paragraph
                a, b = 0, len(text)
            chars[i][a:b] = [(tags[0], rid)] * (b - a)
    return chars


def _index(text: str, utf16_offset) -> int:
    """Label Studio counts offsets in UTF-16 code units; Python indexes code points."""
    if utf16_offset is None:
        return len(text)
    units = 0
    for i, ch in enumerate(text):
        if units >= int(utf16_offset):
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def _start_in(source: str, line: Line) -> int:
    return line.span[0] if line.span is not None else max(source.find(line.text), 0)


def _piece_label(chars: Sequence[Mark | None], a: int, b: int, text: str) -> str | None:
    """The label of today's piece [a, b) of a source line: the one covering most of its
    characters; a piece cut out of a region labelled TABLE_ROW (the row's label and its
    values now apart) is that row's TABLE_LABEL or TABLE_VALUE part, by what it holds."""
    label = _majority(chars, a, b)
    if label != "TABLE_ROW":
        return label
    rids = {c[1] for c in chars[a:b] if c is not None and c[0] == "TABLE_ROW"}
    outside = [chars[a - 1] if a > 0 else None, chars[b] if b < len(chars) else None]
    if not any(c is not None and c[1] in rids for c in outside):
        return label  # the whole row is this piece
    return "TABLE_VALUE" if _VALUES_ONLY.fullmatch(text) else "TABLE_LABEL"


def _by_label(counts: Counter) -> dict[str, int]:
    totals: dict[str, int] = {}
    for (label, _), n in counts.items():
        totals[label] = totals.get(label, 0) + n
    return totals


_VALUES_ONLY = re.compile(r"[\d.,+\-—/／\s\u3000]+(?:万元|元|件|条|个|项|次|%)?")


def _majority(chars: Sequence[Mark | None], a: int, b: int) -> str | None:
    totals = _by_label(Counter(c for c in chars[a:b] if c is not None))
    return max(totals, key=totals.get) if totals else None


def latest_annotation(task: dict) -> dict | None:
    """The annotation that counts: the most recently updated one not cancelled."""
    live = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
    if not live:
        return None
    return max(
        live, key=lambda a: (a.get("updated_at") or a.get("created_at") or "", a.get("id", 0))
    )


def annotated_document(task: dict) -> AnnotatedDocument | None:
    """The task as training data, or None when no annotation labels every line.

    A source line that lost its line breaks is cut again by today's re-segmentation and each
    piece takes the label that covers most of its characters, so training always learns
    from the pieces the labeller sees at run time, even after the cutting rules change.
    """
    annotation = latest_annotation(task)
    if annotation is None:
        return None
    shown = lines_of_task(task)
    coverage = _coverage(annotation.get("result", []), shown)
    originals = task["data"].get("source_lines", {})
    pieces: dict[int, list[int]] = {}  # source line -> its pieces as shown
    for i, line in enumerate(shown):
        pieces.setdefault(line.no, []).append(i)
    lines: list[Line] = []
    labels: list[str | None] = []
    for no, shown_here in pieces.items():
        source = originals.get(str(no))
        if source is None and shown[shown_here[0]].span is not None:  # cut, source not kept
            lines += [shown[i] for i in shown_here]
            labels += [_majority(coverage[i], 0, len(shown[i].text)) for i in shown_here]
            continue
        source = source if source is not None else shown[shown_here[0]].raw
        chars: list[Mark | None] = [None] * len(source)
        for i in shown_here:
            a = _start_in(source, shown[i])
            chars[a : a + len(shown[i].text)] = coverage[i]
        for piece in cut_line(no, source):
            a = _start_in(source, piece)
            lines.append(piece)
            labels.append(_piece_label(chars, a, a + len(piece.text), piece.text))
    if any(label not in LABELS for label in labels):
        return None
    data = task["data"]
    return AnnotatedDocument(
        doc_id=data.get("doc_id", str(task.get("id"))),
        source=data.get("source", ""),
        lines=lines,
        labels=labels,  # type: ignore[arg-type]
    )


def load_export(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        tasks = json.load(f)
    if not isinstance(tasks, list):
        raise ValueError(f"{path}: not a Label Studio JSON export (expected a list of tasks)")
    return tasks
