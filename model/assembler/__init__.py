"""The rule layer: tagged lines -> the reports of schema.md.

Reads top to bottom: cut the page into report copies where a new report really starts
(`segment`; tables printed after the narrative stay with it, `with_appendices`), group the
copies of the same report (`group_copies`), build a report from each copy (`build_report`),
keep the most complete copy and fill its gaps from the others (`merge_copies`); then drop
what only looks like a report beside a real one (`_furniture`: a cover letter, a header
block) and answer no report for a page that is another kind of document
(`other_document`) or holds none of a report's parts (`is_a_report`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from statistics import fmean

from nianbao.model import templates
from nianbao.model.assembler import metadata as meta
from nianbao.model.assembler.checks import checks
from nianbao.model.assembler.dates import parse_date
from nianbao.model.assembler.digits import cuts
from nianbao.model.assembler.figures import figures
from nianbao.model.assembler.sections import (
    is_numbered_part,
    is_section_heading,
    opens_appendix,
    section_key,
)
from nianbao.model.assembler.tables import Event, line_events, parse_value, read_tables
from nianbao.model.limits import check_time
from nianbao.model.lines import TaggedLine
from nianbao.model.vocabulary import normalise

BODY_LABELS = {"HEADING", "NARRATIVE", "TABLE_HEADER", "TABLE_LABEL", "TABLE_VALUE", "TABLE_ROW"}
TABLE_LABELS = {"TABLE_HEADER", "TABLE_LABEL", "TABLE_VALUE", "TABLE_ROW"}
_AGGREGATOR_ITEM = re.compile(r"^(篇\s*\d+|第\s*\d+\s*篇|范文\s*\d+)\s*[:：]?$")
_TOP_NUMBER = re.compile(rf"^\s*#*\s*([{templates.CN_DIGITS}]+)[、.．]")
_PREAMBLE = re.compile(r"编注|本(?:年度)?报告|本年报|根据《中华人民共和国政府信息公开条例》")


def assemble(tagged: Sequence[TaggedLine]) -> tuple[list[dict], list[str]]:
    """Reports found in one document, and document-level warnings."""
    meta_lines = [t for t in tagged if t.label == "META"]
    fields = meta.cms_fields(meta_lines)
    pieces = with_appendices(segment(tagged))
    copies = [c for c in pieces if sum(t.label in BODY_LABELS for t in c) >= 3]
    if not copies:
        return [], [_why_not_a_report(tagged, [])]
    reports = []
    for group in group_copies(copies):
        check_time()
        built = [build_report(copy, fields) for copy in group]
        reports.append(merge_copies(built))
    reports = [r for r in reports if not _furniture(r)] or reports
    other_kind = other_document(tagged, fields)
    if other_kind:
        return [], [f"no report found: the page is {other_kind}, not an annual report"]
    if not any(is_a_report(r) for r in reports):  # on an aggregator page, one is enough
        return [], [_why_not_a_report(tagged, reports)]
    return reports, []


def _furniture(report: dict) -> bool:
    """A piece of the page that only looks like a report beside a real one: a cover letter
    (报送函) or notice in front of it, a header block or breadcrumb with a line of prose. It
    has no standard table and either a title naming another kind of document, or no title,
    no section beyond a preamble and no key figure (an aggregator's excerpt has those)."""
    if report["tables"]:
        return False
    title = re.sub(r"\s+", "", normalise(report["title"] or ""))
    if any(pattern.search(title) for pattern, _ in _OTHER_DOCUMENTS):
        return True  # `关于报送…年度报告的函` names a report but is a letter
    if title:
        return False
    sections = {s["key"] for s in report["sections"]} - {"preamble"}
    return not title and not sections and not report["figures"]


_REPORT_TITLE = re.compile(r"政府信息公开.{0,8}(?:年度报告|工作报告|年报)|信息公开年报")
# Titles of the documents that share a report's words and columns but are not one.
_OTHER_DOCUMENTS = (
    (re.compile(r"指南$"), "a disclosure guide (政府信息公开指南)"),
    (re.compile(r"自查(?:报告|情况)|自查$"), "a self-check report (自查报告)"),
    (re.compile(r"要点|落实情况"), "a report on the year's work points (工作要点落实情况)"),
    (re.compile(r"(?<!信息公开)(?<!政务公开)工作总结$"), "a work summary (工作总结)"),
    (re.compile(r"(?:的)?(?:通知|函)$"), "a notice or a letter (通知, 函)"),
)


def other_document(tagged: Sequence[TaggedLine], fields: dict[str, str]) -> str | None:
    """What the page is when its title names another kind of document: a 政府信息公开指南,
    a 自查报告, a 工作要点落实情况 letter, a general 工作总结, a notice. The title is the
    CMS 标题 or a TITLE line; lacking one, a short line above the first heading that names
    a body and the document (`某某县人民政府信息公开指南`: a guide's title is furniture to
    the labeller; a menu entry `政府信息公开指南` names no body and is skipped). A page that
    bears an annual report's own title (a report inside its 报送函) is a report."""

    def compact(texts: list[str]) -> list[str]:
        return [re.sub(r"\s+", "", normalise(t)) for t in texts if t]

    own = compact([fields.get(k, "") for k in meta.TITLE_KEYS])
    own += compact([t.line.text for t in tagged if t.label == "TITLE"])
    if any(_REPORT_TITLE.search(t) or _DISCLOSURE_SUMMARY.search(t) for t in own):
        return None
    if not own:
        first_heading = next((i for i, t in enumerate(tagged) if t.label == "HEADING"), len(tagged))
        near_top = compact([t.line.text for t in tagged[:first_heading] if len(t.line.text) <= 60])
        own = [t for t in near_top if _names_a_body(t)]
    for t in own:
        for pattern, kind in _OTHER_DOCUMENTS:
            if pattern.search(t):
                return kind
    return None


_DISCLOSURE_SUMMARY = re.compile(r"(?:政府信息公开|政务公开|信息公开).{0,6}(?:情况|工作)总结")
_DOCUMENT_WORDS = re.compile(
    r"(?:(?:政府)?信息公开|政务公开)?(?:指南|自查报告|工作总结|落实情况|要点|通知|函)"
)


def _names_a_body(title: str) -> bool:
    """`某某县人民政府信息公开指南` names its body before the document's words."""
    return any(
        _DOCUMENT_WORDS.fullmatch(title[k:]) and meta.body_name(title[:k])
        for k in range(2, len(title))
    )


def is_a_report(report: dict) -> bool:
    """What an annual report has and a news item, a notice, a list page or a disclosure
    guide (政府信息公开指南: 主动公开, 依申请公开, but no year) has not: standard tables,
    three of the template's sections or two key figures, or, with the year reported on,
    two sections or a report title. Legacy reports often never name their year, so the
    year is asked for only where the evidence is thin."""
    keys = _template_sections(report)
    if report["tables"] or len(keys) >= 3 or len(report["figures"]) >= 2:
        return True
    if report["year"] is None:
        return False
    return len(keys) >= 2 or (
        bool(keys) and bool(_REPORT_TITLE.search(normalise(report["title"] or "")))
    )


def _template_sections(report: dict) -> set[str]:
    return {s["key"] for s in report["sections"]} - {"preamble", "other"}


def _why_not_a_report(tagged: Sequence[TaggedLine], built: list[dict]) -> str:
    titles = [t for t in tagged if len(t.line.text) <= 60 and _REPORT_TITLE.search(t.line.text)]
    if len(titles) >= 3:
        return (
            f"no report found: the page lists {len(titles)} report titles without their text"
            " (a list page)"
        )
    if any(len(_template_sections(r)) >= 2 for r in built):
        return (
            "no report found: the page has a report's section names but no year reported on"
            " and no standard tables (a disclosure guide or a notice)"
        )
    return (
        "no report found: the page has none of a report's sections or tables"
        " (a news item, a notice or an error page)"
    )


# --- pages -> copies of reports ------------------------------------------------------------


def segment(tagged: Sequence[TaggedLine]) -> list[list[TaggedLine]]:
    """Cut where a new report or a new copy starts: a title after a body, an aggregator's
    `篇N`, or top-level numbering starting again at 一 (a copy without its title)."""
    segments: list[list[TaggedLine]] = [[]]
    highest = 0  # highest top-level heading number in the current segment
    has_body = False  # kept as lines arrive: rescanning the segment would be quadratic
    for i, t in enumerate(tagged):
        current = segments[-1]
        if _AGGREGATOR_ITEM.match(t.line.text.strip()):  # `篇3` says it, whatever its tag
            segments.append([])
            highest, has_body = 0, False
            continue
        if (
            t.label == "TITLE"
            and has_body
            and current[-1].label != "TITLE"
            and _numbering_restarts(tagged, i, highest)
        ):
            segments.append([t])
            highest, has_body = 0, False
            continue
        number = _top_heading_number(t)
        if number == 1 and highest >= 2:
            k = len(current)
            while k > 0 and (
                current[k - 1].label in ("SIGNATURE", "TITLE")
                or (
                    current[k - 1].label == "NARRATIVE"
                    and _PREAMBLE.search(current[k - 1].line.text)
                )
            ):
                k -= 1
            segments[-1], moved = current[:k], current[k:]
            segments.append([*moved, t])
            highest, has_body = 1, True
            continue
        if number:
            highest = max(highest, number)
        current.append(t)
        has_body = has_body or t.label in BODY_LABELS
    return [s for s in segments if s]


def _numbering_restarts(tagged: Sequence[TaggedLine], i: int, highest: int) -> bool:
    """A title after a body starts a new report only if a new body follows it: its first
    numbered part is 一, or (unnumbered reports) the report before numbered none. A title
    named in the prose (`下发了《关于做好…年度报告…的通知》`, `针对2022年度工作报告`) is
    followed by the same report's next part."""
    for t in tagged[i + 1 : i + 80]:
        if t.label == "TITLE" or _AGGREGATOR_ITEM.match(t.line.text.strip()):
            break
        number = _top_heading_number(t)
        if number:
            return number == 1 or highest == 0
    return True


def with_appendices(segments: list[list[TaggedLine]]) -> list[list[TaggedLine]]:
    """Tables printed after the narrative (`并附相关指标统计表`; 表一/表二/表三 after 六、)
    restart the numbering at 一 but are no report of their own: a segment with no title and
    no prose, only tables, belongs to the report before it."""
    out: list[list[TaggedLine]] = []
    for seg in segments:
        tables = sum(t.label in TABLE_LABELS for t in seg)
        prose = sum(t.label == "NARRATIVE" for t in seg)
        untitled = not any(t.label == "TITLE" for t in seg)
        if out and untitled and tables >= 3 and prose <= 2:
            out[-1] = out[-1] + seg
        else:
            out.append(seg)
    return out


def _top_heading_number(t: TaggedLine) -> int:
    if t.label != "HEADING":
        return 0
    m = _TOP_NUMBER.match(normalise(t.line.text))
    return templates.cn_number(m.group(1)) if m else 0


def group_copies(copies: list[list[TaggedLine]]) -> list[list[list[TaggedLine]]]:
    """Copies of one report rendered again on the page share their prose or their title."""
    groups: list[list[list[TaggedLine]]] = []
    prints: list[set[str]] = []
    titles: list[str | None] = []
    for copy in copies:
        fingerprint = {normalise(t.line.text)[:24] for t in copy if t.label == "NARRATIVE"}
        title = meta.join_title([t for t in copy if t.label == "TITLE"])
        for i, group in enumerate(groups):
            overlap = len(fingerprint & prints[i]) / max(1, min(len(fingerprint), len(prints[i])))
            same_title = title is not None and title == titles[i]
            if overlap >= 0.5 or (same_title and not (fingerprint and prints[i])):
                group.append(copy)
                prints[i] |= fingerprint
                titles[i] = titles[i] or title
                break
        else:
            groups.append([copy])
            prints.append(fingerprint)
            titles.append(title)
    return groups


# --- one copy -> one report ----------------------------------------------------------------


def build_report(copy: list[TaggedLine], fields: dict[str, str]) -> dict:
    warnings: list[str] = []
    title = (
        meta.join_title([t for t in copy if t.label == "TITLE"])
        or _name_heading(copy)
        or meta.cms_title(fields)
    )
    prose = [(t.line.no, t.line.text) for t in copy if t.label in ("NARRATIVE", "HEADING")]
    narrative = [text for _, text in prose]
    year = meta.year_of(title, narrative)
    sections, table_lines = _sections(copy)
    result = read_tables(
        table_lines["t2"], table_lines["t3"], table_lines["t4"], year, "\n".join(narrative)
    )
    warnings += result.warnings
    template = result.template if result.tables else "legacy"
    tables = result.tables if template != "legacy" else {}
    if template == "legacy":  # a legacy 附表 is no standard table: all its rows give figures
        appendix_lines = sorted(
            (t for lines in table_lines.values() for t in lines), key=lambda t: t.line.no
        )
    else:
        appendix_lines = table_lines["other"]
    key_figures = figures(tables, prose, _appendix_rows(appendix_lines))
    warnings += key_figures.warnings

    signature = [t for t in copy if t.label == "SIGNATURE"] or _signature_lines(copy)
    report_date = None
    for t in signature:
        date, ambiguous = parse_date(t.line.text, year)
        if date:
            report_date = date
            if ambiguous:
                warnings.append(
                    f"report date {t.line.text!r} (line {t.line.no}) can be read "
                    f"more than one way; read as {date}"
                )
            break
    organisation = meta.organisation(title, signature, fields, narrative)
    return {
        "title": title,
        "organization": organisation,
        "year": year,
        "report_date": report_date,
        "published_date": meta.published_date(fields, year),
        "template": template,
        "metadata": meta.metadata_block(fields),
        "line_span": _span(copy),
        "sections": sections,
        "tables": tables,
        "figures": key_figures.values,
        "cell_lines": (result.cell_lines if tables else {})
        | {f"figures.{name}": line for name, line in key_figures.lines.items()},
        "checks": checks(tables),
        "confidence": round(fmean(t.confidence for t in copy), 4),
        "warnings": warnings,
    }


_SIGNED = re.compile(
    r"(?:^|[\s）)])[\u4e00-\u9fff]{2,30}\s*(?:(?:19|20)\d\d|[〇○零一二][〇○零一二三四五六七八九]{3})\s*年"
    r"\s*[\d元正一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*[日号]$"
)


def _signature_lines(copy: list[TaggedLine]) -> list[TaggedLine]:
    """A report's signature the labeller did not mark: a short line that ends with a body's
    name and a full date (`平潭综合实验区经济发展局 2019年1月18日`), as pages that lost
    their line breaks cut it out of the text around it; the last such line of the report
    (one the labeller took for furniture only when no other is found)."""
    signed = [t for t in copy if len(t.line.text) <= 60 and _SIGNED.search(t.line.text.strip())]
    own = [t for t in signed if t.label not in ("NOISE", "META")]
    return (own or [t for t in signed if t.label == "NOISE"])[-1:]


def _name_heading(copy: list[TaggedLine]) -> str | None:
    """An untitled report headed by its body's name alone (`***市人口和计划生育局`)."""
    first = next((t for t in copy if t.label in BODY_LABELS | {"TITLE"}), None)
    if first is None or first.label not in ("HEADING", "TITLE", "NARRATIVE"):
        return None
    text = first.line.text.strip()
    return text if meta.looks_like_body_name(text) else None


def _span(copy: list[TaggedLine]) -> list[int]:
    """First and last line of the report itself, without the page's furniture around it."""
    own = [t.line.no for t in copy if t.label not in ("NOISE", "META")] or [t.line.no for t in copy]
    return [own[0], own[-1]]


# Words that say a table line belongs to table 3 (its first headers and rows) or table 4.
_T3_MARK = re.compile(
    "|".join(
        [
            templates.T3_HEADERS[0],
            *(c.header for c in list(templates.T3_COLUMNS.values())[:3]),
            *(templates.T3_ROWS[k].words[:4] for k in ("new_received", "carried_over", "granted")),
        ]
    )
)
_T4_MARK = re.compile(
    "|".join(
        [
            templates.T4_GROUPS["review"],
            templates.T4_COLUMNS["upheld"].header,
            templates.T4_GROUPS["litigation_after_review"],
            templates.T4_GROUPS["litigation_direct"][:4],
        ]
    )
)
_TABLE_OF_SECTION = {"active_disclosure": "t2", "applications": "t3", "review_litigation": "t4"}


def _sections(copy: list[TaggedLine]) -> tuple[list[dict], dict[str, list[TaggedLine]]]:
    """Sections with their prose, and the table lines sorted into tables 2, 3, 4 and others."""
    sections: list[dict] = []
    tables: dict[str, list[TaggedLine]] = {"t2": [], "t3": [], "t4": [], "other": []}
    current: dict | None = None
    texts: list[str] = []
    table = "other"
    numbered = any(t.label == "HEADING" and is_numbered_part(t.line.text) for t in copy)
    for i, t in enumerate(copy):
        opens = (t.label == "HEADING" and is_section_heading(t.line.text, numbered)) or (
            t.label == "CAPTION"
            and opens_appendix(t.line.text)
            and not (current and current["key"] == "appendix")
            and _table_follows(copy, i)
        )
        if opens:
            current = {
                "key": section_key(t.line.text) if t.label == "HEADING" else "appendix",
                "heading": t.line.text,
                "text": "",
                "line_span": [t.line.no, t.line.no],
            }
            sections.append(current)
            texts = []
            table = _TABLE_OF_SECTION.get(current["key"], "other")
            if t.label == "HEADING":
                continue
        if current is None and t.label == "NARRATIVE":
            current = {
                "key": "preamble",
                "heading": None,
                "text": "",
                "line_span": [t.line.no, t.line.no],
            }
            sections.append(current)
            texts = []
        if current is not None and t.label in BODY_LABELS | {"CAPTION"}:
            current["line_span"][1] = t.line.no
            if t.label in ("NARRATIVE", "HEADING"):
                texts.append(t.line.text)
                current["text"] = "\n".join(texts)
        if t.label in TABLE_LABELS:
            table = _table_marker(t, table)
            tables[table].append(t)
    return sections, tables


def _table_follows(copy: list[TaggedLine], i: int) -> bool:
    """A 附表 caption opens the appendix when its table is on the page, not only named."""
    after = [t.label for t in copy[i + 1 : i + 6] if t.label not in ("NOISE", "CAPTION")]
    return bool(after) and after[0] in TABLE_LABELS


def _table_marker(t: TaggedLine, table: str) -> str:
    text = normalise(t.line.text)
    if t.label == "TABLE_HEADER" and _T4_MARK.search(text) and table != "t4":
        return "t4"
    if _T3_MARK.search(text) and table not in ("t3",) and not _T4_MARK.search(text):
        return "t3"
    if t.label == "TABLE_HEADER" and re.search(r"第.{1,4}条", text) and table != "t2":
        return "t2"
    return table


_UNIT_CELL = re.compile(r"[\s\u3000]*(?:条|件|元|个|项|次|人次|万元)$")


def _appendix_rows(lines: list[TaggedLine]) -> list[tuple[str, int | float, int]]:
    """(label, this year's number, line) of each row of a legacy report's ad-hoc 附表.

    Serves the indicator tables of older reports (指标名称 / 计量单位 / 本年 / 历年累计): a
    row's label may come in pieces (`行政复议` / `数 件`), a unit cell (条, 件) is no value,
    the first number is this year's; on a page that lost its line breaks the two columns
    arrive glued (`457837`) and are read as the cut that keeps 历年累计 >= 本年, when only
    one cut does."""
    events: list[Event] = [e for t in lines for e in line_events(t)]
    cumulative = any("累计" in (e.text or "") for e in events if e.kind in ("header", "label"))
    out: list[tuple[str, int | float, int]] = []
    label = ""
    for e in events:
        if e.kind == "label":
            label += _UNIT_CELL.sub("", normalise(e.text))
        elif e.kind == "values" and label:
            values = [v for v in e.values if parse_value(v) is not None]
            if e.run and cumulative and len(values) == 1 and len(values[0]) > 1:
                found = cuts(values[0], 2, lambda v: v[1] >= v[0])
                values = found[0] if len(found) == 1 else []
            if values:
                out.append((label, parse_value(values[0]), e.line))
                label = ""
        elif e.kind == "header":
            label = ""
    return out


# --- copies -> one report ---------------------------------------------------------------------


def merge_copies(reports: list[dict]) -> dict:
    """Keep the most complete copy; fill its gaps from the others; warn where they disagree."""
    if len(reports) == 1:
        return reports[0]
    best = max(reports, key=_completeness)
    merged = dict(best)
    merged["warnings"] = list(best["warnings"])
    for key in ("title", "organization", "year", "report_date", "published_date"):
        if merged[key] is None:
            merged[key] = next((r[key] for r in reports if r[key] is not None), None)
    same = [r for r in reports if r["template"] == best["template"]]
    for path in dict.fromkeys(p for r in same for p, _ in _cells(r["tables"])):
        chosen, source = _vote([(r, _get(r["tables"], path)) for r in same], best)
        key = ".".join(("tables", *path))
        if chosen != _get(merged["tables"], path):
            _set(merged["tables"], path, chosen)
            merged["cell_lines"].pop(key, None)
            if chosen is not None:
                merged["cell_lines"][key] = source["cell_lines"].get(key)
        values = {v for r in same if (v := _get(r["tables"], path)) is not None}
        if len(values) > 1:
            found = ", ".join(
                f"{_get(r['tables'], path)} (lines {r['line_span'][0]}-{r['line_span'][1]})"
                for r in same
            )
            merged["warnings"].append(
                f"copies of the report disagree on {key}: {found}; kept {chosen}"
            )
    merged["checks"] = checks(merged["tables"])
    merged["warnings"].append(
        f"the page shows this report {len(reports)} times; used the copy at lines "
        f"{best['line_span'][0]}-{best['line_span'][1]}"
    )
    return merged


def _vote(votes: list[tuple[dict, object]], best: dict) -> tuple[object, dict]:
    """The value most copies give a cell; a tie goes to a number over a blank, then to `best`."""
    counts = Counter(v for _, v in votes)
    top = max(counts.values())
    winners = [v for v, n in counts.items() if n == top]
    best_value = next(v for r, v in votes if r is best)
    chosen = (
        best_value
        if best_value in winners and (best_value is not None or len(winners) == 1)
        else next((v for v in winners if v is not None), None)
    )
    source = next((r for r, v in votes if v == chosen and r is best), None) or next(
        r for r, v in votes if v == chosen
    )
    return chosen, source


def _completeness(report: dict) -> tuple:
    """Copies whose tables read cleanly first (no alignment warnings), then the fullest."""
    filled = sum(1 for _, v in _cells(report["tables"]) if v is not None)
    return (-len(report["warnings"]), filled, len(report["sections"]), report["title"] is not None)


def _cells(tables: dict, prefix: tuple[str, ...] = ()):
    for key, value in tables.items():
        if key == "extra_rows":
            continue
        if isinstance(value, dict):
            yield from _cells(value, (*prefix, key))
        else:
            yield (*prefix, key), value


def _get(tables: dict, path: tuple[str, ...]):
    node = tables
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _set(tables: dict, path: tuple[str, ...], value) -> None:
    node = tables
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
