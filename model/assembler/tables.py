"""Tables 2, 3 and 4 of the national templates, whatever the flattening.

Every table line becomes a stream of events: a row label (or a piece of one), a run of
values, a header. Rows are then recognised by what their label says and by their
numbering within the template, and each row takes the number of values the template
gives it. That one mechanism reads one cell per line, one row per line, labels split over
lines, labels that come after their values (PDF text), missing header words and blank
cells alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import product

from nianbao.model import templates
from nianbao.model.assembler.digits import cuts, is_run, readings, readings_in_blocks, row_sum
from nianbao.model.limits import check_time
from nianbao.model.lines import TaggedLine
from nianbao.model.vocabulary import normalise

# --- the templates, as this module reads them (model/templates.py holds the facts) --------

T2_COLUMNS = {template: templates.table2_columns(template) for template in templates.TEMPLATES}
T2_WORDS = {k: (row.words, *row.variants) for k, row in templates.T2_ROWS.items()}
AMOUNT_COLUMNS = {k for k, c in templates.T2_COLUMNS.items() if c.amount}
T3_COLUMNS = tuple(templates.T3_COLUMNS)
T3_ROWS = tuple((r.key, r.words, r.numbering, r.group) for r in templates.T3_ROWS.values())
T3_GROUPS = templates.T3_GROUPS
RESULT_ROWS = templates.RESULT_ROWS
T4_GROUPS = tuple(templates.T4_GROUPS)
T4_COLUMNS = tuple(templates.T4_COLUMNS)
MAX_COMBINATIONS = 20000  # readings of a table's open rows tried together

# --- reading lines into events --------------------------------------------------------------

_NUMBERING = re.compile(
    r"(?:^|(?<=\s)|(?<=[^\d.]))"
    r"([一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.．、](?!\d))"
)
_UNIT = r"(?:万元|元|件|条|个|项|次|人次|%)"  # a unit written in a value cell (`273680元`)
_VALUE = re.compile(r"^[+\-]?\d[\d,]*(?:\.\d+)?" + _UNIT + r"?$|^[—\-–/／无]+$|^--$")
_BLANK_VALUES = {"—", "-", "–", "/", "／", "无", "--", "——", ""}
_HEADER_OF = {
    template: re.compile("|".join(words)) for template, words in templates.TEMPLATE_MARKS.items()
}


@dataclass
class Event:
    kind: str  # "label", "values", "header"
    line: int
    text: str = ""
    values: list[str] = field(default_factory=list)
    run: bool = False  # from a line cut out of a page that lost its line breaks


def line_events(tagged: TaggedLine) -> list[Event]:
    """One table line -> label / values / header events, in reading order."""
    line = tagged.line
    if tagged.label == "TABLE_HEADER":
        return [Event("header", line.no, text=line.text)]
    if tagged.label == "TABLE_LABEL":
        return [Event("label", line.no, text=piece) for piece in _label_pieces(line.text)]
    cells = _cells(unicodedata.normalize("NFKC", line.raw))  # full-width digits, ．, ｜
    glued = line.span is not None
    if tagged.label == "TABLE_VALUE":
        while cells and cells[0] == "" and len(cells) > 1:
            cells.pop(0)
        values = [c for c in cells if _VALUE.match(c) or is_run(c) or c == ""]
        return [Event("values", line.no, values=values, run=glued)] if values else []
    if tagged.label == "TABLE_ROW":
        while len(cells) > 1 and cells[0] == "":  # the blank cells of a label merged above
            cells.pop(0)
        k = 0
        while k < len(cells) and not (_VALUE.match(cells[k]) or is_run(cells[k]) or cells[k] == ""):
            k += 1
        label, values = " ".join(cells[:k]), cells[k:]
        if not values and line.raw.rstrip("\r\n") != line.raw.rstrip():
            values = [""]  # a label followed by blank cells
        if re.fullmatch(r"[|\-: ]*", label):
            return [Event("values", line.no, values=values, run=glued)] if values else []
        events = [Event("label", line.no, text=p) for p in _label_pieces(label)]
        return events + [Event("values", line.no, values=values, run=glued)]
    return []


def _events(lines: list[TaggedLine]) -> list[Event]:
    """A table's events from its first header or label on: a number before them (a stray
    page number, a cell of something else) cannot be one of its cells."""
    events = [e for t in lines for e in line_events(t)]
    start = next((i for i, e in enumerate(events) if e.kind != "values"), len(events))
    return events[start:]


def _cells(raw: str) -> list[str]:
    """Cells of a row: pipes or tabs separate them where present, else runs of spaces.

    A cell that still holds a label and values (`规章 5836` between tabs) is split again.
    """
    raw = raw.strip(" \r\n\u3000\xa0")
    if "|" in raw:
        cells = [c.strip() for c in raw.strip("|").split("|")]
    elif "\t" in raw:
        cells = [c.strip() for c in raw.split("\t")]
    else:
        return raw.split()
    out: list[str] = []
    for cell in cells:
        parts = cell.split()
        out += parts if len(parts) > 1 and any(_VALUE.match(p) for p in parts) else [cell]
    return out


def _label_pieces(text: str) -> list[str]:
    """`(三)不予公开 1.属于国家秘密` -> two labels; pieces split at numbering."""
    starts = [m.start(1) for m in _NUMBERING.finditer(text)]
    if not starts or starts[0] != 0:
        starts = [0, *starts]
    pieces = [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    return [p for p in pieces if p]


def parse_value(token: str, amount: bool = False) -> int | float | None:
    token = token.strip().replace(",", "").replace("，", "")
    if token in _BLANK_VALUES or re.fullmatch(r"[—\-–/／]+", token):
        return None
    token = re.sub(_UNIT + "$", "", token)
    try:
        number = float(token)
    except ValueError:
        return None
    if amount or "." in token:
        return number
    return int(number)


# --- the tables -------------------------------------------------------------------------------


@dataclass
class TableResult:
    tables: dict = field(default_factory=dict)
    cell_lines: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    template: str | None = None
    # rows whose glued digit run has several readings: "tables.applications.total" -> readings
    ambiguous: dict[str, list[list[str]]] = field(default_factory=dict)


def detect_template(header_text: str, events3: list[Event]) -> str | None:
    text = normalise(header_text)
    for template in ("2021", "2019"):  # 2021 first: its reports may print 2019's rows too
        if _HEADER_OF[template].search(text):
            return template
    if any(
        e.kind == "label" and _t3_match(e.text, None) in ("other_no_correction", "other_unpaid_fee")
        for e in events3
    ):
        return "2021"
    return None


def _standard(ev3: list[Event], ev4: list[Event]) -> bool:
    """Whether tables 3 or 4 are the national template's (when table 2's column headers do
    not say which template it is): table 3 by its rows, table 4 by its result columns.
    A legacy 附表 that mentions 行政复议 or 申请 has neither."""
    rows3 = {_t3_match(e.text, None) for e in ev3 if e.kind == "label"} - {None}
    headers4 = " ".join(normalise(e.text) for e in ev4 if e.kind == "header")
    results4 = "|".join(c.header for c in templates.T4_COLUMNS.values() if c.key != "total")
    return len(rows3 - T3_GROUPS) >= 5 or bool(re.search(results4, headers4))


def read_tables(
    table2: list[TaggedLine],
    table3: list[TaggedLine],
    table4: list[TaggedLine],
    year: int | None,
    prose: str = "",
) -> TableResult:
    """The standard tables of one report; `prose` is the report's narrative, whose numbers
    choose among the readings of a glued table-2 row (it has no identity to do so)."""
    result = TableResult()
    ev2, ev3, ev4 = (_events(lines) for lines in (table2, table3, table4))
    header2 = " ".join(e.text for e in ev2 if e.kind == "header")
    template = detect_template(header2, ev3)
    if template is None and not _standard(ev3, ev4):
        return result  # a legacy report's own 附表 (指标名称/本年/历年累计): no standard table
    if template is None:
        template = "2021" if (year or 0) >= 2021 else "2019"
    result.template = template
    if ev2 and template:
        result.tables["active_disclosure"] = _read_table2(ev2, template, result, prose)
    if ev3:
        result.tables["applications"] = _read_table3(ev3, result)
    if ev4:
        result.tables["review_litigation"] = _read_table4(ev4, result)
    return result


RowCheck = Callable[[str, list[float]], bool]  # (row key, the row's numbers) -> holds?
TableCheck = Callable[[dict[str, list[float | None]]], bool]  # all rows' numbers -> hold?


class _RowFiller:
    """Gives each recognised row the values that belong to it, in reading order.

    Values that arrive when no row is waiting for them are held until the next row label:
    text converted from PDF often prints a row's values before its label. A row whose
    values arrive glued (a page that lost its line breaks) is kept as its tokens and read
    at the end, when every identity of the table can choose among its readings.
    """

    def __init__(
        self,
        result: TableResult,
        prefix: str,
        row_check: RowCheck | None = None,
        table_check: TableCheck | None = None,
        pin: Callable[[str, list[list[str]]], list[list[str]]] | None = None,
    ) -> None:
        self.result = result
        self.prefix = prefix
        self.row_check = row_check  # the identity a glued row's own cells must satisfy
        self.table_check = table_check  # identities across rows (table 3's columns)
        self.pin = pin  # narrows a row's readings by what the report's prose states
        self.rows: dict[str, list[tuple[str, int]]] = {}
        self.runs: dict[str, tuple[list[str], int]] = {}
        self.expected: dict[str, int] = {}
        self.current: str | None = None
        self.pending: list[tuple[str, int]] = []
        self.discard = 0

    def start_row(self, key: str, n_values: int) -> None:
        self.current = key if n_values else None
        self.discard = 0
        if not n_values:
            return
        if key in self.rows and (self.rows[key] or key in self.runs):
            self.current = None  # the same row again: keep the first, drop these values
            self.discard = n_values
            return
        self.rows[key] = []
        self.expected[key] = n_values
        if self.pending:
            self.rows[key] = self.pending[:n_values]
            self.pending = self.pending[n_values:]

    def waiting(self) -> bool:
        """Whether the current row still waits for values."""
        key = self.current
        return key is not None and len(self.rows[key]) < self.expected[key]

    def add_values(self, values: list[str], line: int, run: bool = False) -> None:
        key = self.current
        if (
            run
            and key is not None
            and not self.rows[key]
            and key not in self.runs
            and values
            and all(is_run(v) for v in values)
            and (len(values) != self.expected[key] or self.expected[key] == 1)
            and sum(c.isdigit() for v in values for c in v) >= self.expected[key]
        ):
            self.runs[key] = (values, line)  # glued: read with the table's identities
            self.current = None
            return
        if key is not None and not self.rows[key] and values and values[0] == "":
            # blank cells between a row's label and its values (a label cell drawn over
            # two columns) are layout when the row has more cells than columns
            extra = len(values) - self.expected[key]
            while extra > 0 and values[0] == "":
                values, extra = values[1:], extra - 1
        for v in values:
            key = self.current
            if self.discard:
                self.discard -= 1
            elif key is not None and len(self.rows[key]) < self.expected[key]:
                self.rows[key].append((v, line))
            elif v != "":  # a blank cell nobody waits for is trailing layout, not a value
                self.pending.append((v, line))

    def _read_runs(self) -> None:
        """Each glued row: the readings its own identity allows, fewest spaces broken;
        then the table's identities across rows choose among what is still open."""
        options: dict[str, list[list[str]]] = {}
        for key, (tokens, _) in self.runs.items():
            n = self.expected[key]
            check = (lambda k: lambda v: self.row_check(k, v))(key) if self.row_check else None
            found = readings(tokens, n, check)
            if len(found) > 1 and self.pin:
                found = self.pin(key, found) or found
            options[key] = found
        open_rows = [k for k, found in options.items() if len(found) > 1]
        if open_rows and self.table_check:
            options |= self._choose_jointly(options, open_rows)
        for key, found in options.items():
            tokens, line = self.runs[key]
            run = " ".join(tokens)
            path = f"{self.prefix}.{key}"
            if len(found) == 1:
                self.rows[key] = [(v, line) for v in found[0]]
                continue
            # a cell every reading gives the same value is read all the same
            agreed = (
                [r[0] if len(set(r)) == 1 else "" for r in zip(*found, strict=True)]
                if found
                else []
            )
            self.rows[key] = [(v, line) for v in agreed] or [("", line)] * self.expected[key]
            if found:
                self.result.ambiguous[path] = found
                shown = "; ".join(" ".join(r) for r in found[:5])
                more = f" and {len(found) - 5} more" if len(found) > 5 else ""
                kept = [c for c in agreed if c != ""]
                self.result.warnings.append(
                    f"{path}: digit run {run} reads {len(found)} ways ({shown}{more}); "
                    + (
                        f"kept the cells all readings share ({' '.join(agreed)}), left the rest null"
                        if kept
                        else "left null"
                    )
                )
            else:
                self.result.warnings.append(
                    f"{path}: no reading of digit run {run} as {self.expected[key]} cells"
                    " satisfies the table's identities; left null"
                )

    def _choose_jointly(
        self, options: dict[str, list[list[str]]], open_rows: list[str]
    ) -> dict[str, list[list[str]]]:
        """The combinations of the open rows' readings under which the table's identities
        hold; a row all of them read the same way is decided."""
        known: dict[str, list[float | None]] = {}
        for key, cells in self.rows.items():
            if key not in self.runs:
                known[key] = [parse_value(v) for v, _ in cells]
        for key, found in options.items():
            if len(found) == 1:
                known[key] = [float(v) for v in found[0]]
        combos = 1
        for key in open_rows:
            combos *= len(options[key])
        if combos > MAX_COMBINATIONS:
            return {}
        valid = []
        for combo in product(*(options[k] for k in open_rows)):
            check_time()
            rows = known | {k: [float(v) for v in r] for k, r in zip(open_rows, combo, strict=True)}
            if self.table_check(rows):
                valid.append(combo)
        if not valid:  # no reading keeps the table's identities: none of them is read
            return {key: [] for key in open_rows}
        return {
            key: [list(r) for r in dict.fromkeys(tuple(c[i]) for c in valid)]
            for i, key in enumerate(open_rows)
        }

    def finish(
        self, columns_of: dict[str, tuple[str, ...]], amounts: set[str] = frozenset()
    ) -> dict:
        self._read_runs()
        table: dict = {}
        for key, cells in self.rows.items():
            columns = columns_of[key]
            row = {}
            blank_only = all(v == "" for v, _ in cells)
            if cells and not blank_only and 0 < len(cells) < len(columns):
                self.result.warnings.append(
                    f"{self.prefix}.{key}: {len(cells)} of {len(columns)} values found; "
                    "the rest are null"
                )
            for i, column in enumerate(columns):
                if i < len(cells) and not blank_only:
                    token, line = cells[i]
                    row[column] = parse_value(token, amount=column in amounts)
                    if row[column] is not None:
                        self.result.cell_lines[f"{self.prefix}.{key}.{column}"] = line
                else:
                    row[column] = None
            table[key] = row
        leftover = [v for v, _ in self.pending if v != ""]
        if leftover:
            self.result.warnings.append(
                f"{self.prefix}: {len(leftover)} values could not be placed in a row: "
                + " ".join(leftover[:10])
            )
        return table


def _read_table2(events: list[Event], template: str, result: TableResult, prose: str) -> dict:
    columns = T2_COLUMNS[template]
    filler = _RowFiller(
        result,
        "tables.active_disclosure",
        row_check=lambda key, values: _t2_row_holds(template, key, values),
        pin=lambda key, found: _pinned_by_prose(key, found, prose, result),
    )
    extra: list[dict] = []
    extra_current: dict | None = None
    last_width = 3
    for e in events:
        if e.kind == "label":
            key = _t2_match(e.text)
            if key:
                filler.start_row(key, len(columns[key]))
                last_width = len(columns[key])
                extra_current = None
            elif len(normalise(e.text)) >= 3 and not re.search(r"第.+条|信息内容", e.text):
                filler.start_row("__none__", 0)
                extra_current = {"label": e.text, "values": [], "lines": []}
                extra.append(extra_current)
        elif e.kind == "values":
            if extra_current is not None and e.run and len(e.values) == 1 and last_width > 1:
                readings = cuts(e.values[0], last_width)
                if len(readings) != 1:
                    extra_current["undecoded"] = True
                    result.warnings.append(
                        f"tables.active_disclosure.extra_rows: digit run {e.values[0]} reads "
                        f"{len(readings)} ways; left null"
                    )
                e = Event(
                    "values",
                    e.line,
                    values=readings[0] if len(readings) == 1 else [""] * last_width,
                )
            if extra_current is not None and len(extra_current["values"]) < last_width:
                room = last_width - len(extra_current["values"])
                extra_current["values"] += e.values[:room]
                extra_current["lines"] += [e.line] * len(e.values[:room])
                if len(e.values) > room:
                    filler.add_values(e.values[room:], e.line)
            else:
                filler.add_values(e.values, e.line, e.run)
    table = filler.finish(columns, AMOUNT_COLUMNS)
    rows = [x for x in extra if any(v != "" for v in x["values"]) or x.get("undecoded")]
    if rows:
        table["extra_rows"] = []
        for i, x in enumerate(rows):
            table["extra_rows"].append(
                {"label": x["label"], "values": [parse_value(v) for v in x["values"]]}
            )
            for j, (v, line) in enumerate(zip(x["values"], x["lines"], strict=True)):
                if parse_value(v) is not None:
                    result.cell_lines[f"tables.active_disclosure.extra_rows.{i}.values.{j}"] = line
    return table


def _t2_row_holds(template: str, key: str, values: list[float]) -> bool:
    """What table 2 cannot break: documents in force include this year's unrepealed ones
    (2021: 现行有效 >= 制发 - 废止); published in all include this year's (2019: 对外公开总数量
    >= 本年新公开数量)."""
    if key not in ("regulations", "normative_documents") or len(values) != 3:
        return True
    if template == "2021":
        issued, repealed, in_force = values
        return in_force >= issued - repealed
    return values[2] >= values[1]


def _pinned_by_prose(
    key: str, found: list[list[str]], prose: str, result: TableResult
) -> list[list[str]]:
    """The readings of a glued table-2 row holding a number the report's prose states for
    that row (`作出行政处罚决定305起` for 行政处罚 `11910305`); all of them when none does."""
    stated: set[float] = set()
    for word in T2_WORDS[key]:
        for m in re.finditer(re.escape(word) + r"[^。；;，,\d]{0,12}?(\d+(?:\.\d+)?)", prose):
            stated.add(float(m.group(1)))
    pinned = [r for r in found if stated & {float(v) for v in r}]
    if pinned and len(pinned) < len(found):
        result.warnings.append(
            f"tables.active_disclosure.{key}: of {len(found)} readings of its digit run, "
            f"{len(pinned)} hold the number the report's prose states for it"
            f" ({', '.join(f'{v:g}' for v in sorted(stated))})"
        )
        return pinned
    return found


def _t2_match(text: str) -> str | None:
    norm = normalise(text)
    best, best_len = None, 0
    for key, words in T2_WORDS.items():
        for w in words:
            if w in norm and len(w) > best_len and len(norm) <= len(w) + 6:
                best, best_len = key, len(w)
    return best


def _read_table3(events: list[Event], result: TableResult) -> dict:
    filler = _RowFiller(
        result,
        "tables.applications",
        row_check=lambda _, values: row_sum(values),
        table_check=table3_identities_hold,
    )
    group: str | None = None
    seen_other_subrows = any(
        e.kind == "label" and _t3_match(e.text, None) in ("other_no_correction", "other_unpaid_fee")
        for e in events
    )
    last_row: str | None = None
    unmatched_line = -1  # a row label on this line named no row of the template
    for e in events:
        if e.kind == "label":
            key = _t3_match(e.text, group)
            if key is None:
                unmatched_line = e.line
                continue
            if key in T3_GROUPS or (key == "other" and seen_other_subrows):
                group = (
                    key  # a group sets the context for its numbered sub-rows; it holds no values
                )
                continue
            group = _group_of(key) or (group if key == "other" else None)
            filler.start_row(key, len(T3_COLUMNS))
            last_row = key
        elif e.kind == "values":
            if e.line == unmatched_line and not filler.waiting() and last_row:
                # PDF text breaks a long label around its values (`求缴纳费用、行政机关不再处理
                # 6 0 0 0 0 0 6`): the fragment names no row, but rows come in template order
                following = _next_row(last_row, seen_other_subrows)
                if following and following not in filler.rows:
                    filler.start_row(following, len(T3_COLUMNS))
                    last_row = following
            filler.add_values(e.values, e.line, e.run)
    table = filler.finish({k: T3_COLUMNS for k, *_ in T3_ROWS})
    return {k: table[k] for k, *_ in T3_ROWS if k in table}


def _next_row(key: str, subrows_2021: bool) -> str | None:
    """The row that follows `key` in table 3 (groups hold no values and are skipped)."""
    keys = [k for k, *_ in T3_ROWS if k not in T3_GROUPS]
    keys = [k for k in keys if k != ("other" if subrows_2021 else "other_no_correction")]
    if not subrows_2021:
        keys = [k for k in keys if k not in ("other_unpaid_fee", "other_misc")]
    i = keys.index(key) if key in keys else -1
    return keys[i + 1] if 0 <= i < len(keys) - 1 else None


def table3_identities_hold(rows: dict[str, list[float | None]]) -> bool:
    """Per column: new_received + carried_over = total + carried_forward, and the result
    rows add up to the total; an identity with a term missing is not tested."""

    def cell(key: str, c: int) -> float | None:
        row = rows.get(key)
        return row[c] if row is not None and c < len(row) else None

    for c in range(len(T3_COLUMNS)):
        balance = [cell(k, c) for k in ("new_received", "carried_over", "total", "carried_forward")]
        if None not in balance and balance[0] + balance[1] != balance[2] + balance[3]:
            return False
        results = [cell(k, c) for k in RESULT_ROWS if k in rows]
        total = cell("total", c)
        if results and total is not None and None not in results and sum(results) != total:
            return False
    return True


def _group_of(key: str) -> str | None:
    for k, _, _, g in T3_ROWS:
        if k == key:
            return g
    return None


@lru_cache(maxsize=8192)  # row labels repeat across documents; matching is the slow part
def _t3_match(text: str, group: str | None) -> str | None:
    """The table-3 row a label names: by its words, helped by its numbering and group."""
    norm = normalise(text)
    m = re.match(
        r"^([一二三四五六七八九十]+)[、.]|^(\([一二三四五六七八九十]+\))|^(\d{1,2})[.、]", norm
    )
    numbering = None
    if m:
        numbering = m.group(1) or m.group(2) or m.group(3)
        norm = norm[m.end() :]
    words = re.sub(r"[^\u4e00-\u9fff]", "", norm)
    best, best_score = None, 0.0
    for key, canonical, number, grp in T3_ROWS:
        score = _similarity(words, canonical)
        if numbering and numbering == number:
            if grp is None or grp == group:
                score = max(score, 0.65) + 0.2
        elif numbering and number.isdigit() != numbering.isdigit():
            score -= 0.3
        if grp is not None and group is not None and grp != group and score < 0.95:
            score -= 0.1
        if score > best_score:
            best, best_score = key, score
    # A piece without numbering must say more: PDF text breaks labels into fragments
    return best if best_score >= (0.6 if numbering else 0.75) else None


def _similarity(words: str, canonical: str) -> float:
    if not words:
        return 0.0
    if words == canonical:
        return 1.0
    if len(words) >= 6 and canonical.startswith(words):
        return 0.98  # a long label cut short by a line break
    if (len(canonical) >= 4 and words.startswith(canonical)) or (
        len(words) >= 3 and canonical.startswith(words)
    ):
        return 0.9
    return SequenceMatcher(None, words, canonical).ratio()


def _read_table4(events: list[Event], result: TableResult) -> dict:
    values = [(v, e.line) for e in events if e.kind == "values" for v in e.values]
    glued = [e for e in events if e.kind == "values" and e.run]
    tokens = [v for v, _ in values]
    if glued and tokens and all(is_run(t) for t in tokens) and len(tokens) != 15:
        line = values[0][1]  # fifteen cells glued into one run, spaces kept here and there
        found = readings_in_blocks(tokens, len(T4_GROUPS), len(T4_COLUMNS), row_sum)
        if len(found) == 1:
            values = [(v, line) for v in found[0]]
        else:
            shown = "; ".join(" ".join(r) for r in found[:3])
            result.warnings.append(
                f"tables.review_litigation: digit run {' '.join(tokens)} reads "
                f"{len(found)} ways{' (' + shown + ')' if shown else ''}; left null"
            )
            values = [("", line)] * 15
    values = [(v, line) for v, line in values if v != "" or len(values) > 15]
    if values and len(values) != 15:
        result.warnings.append(
            f"tables.review_litigation: {len(values)} values where the table has 15; read in order"
        )
    table: dict = {}
    for g, group in enumerate(T4_GROUPS):
        table[group] = {}
        for c, column in enumerate(T4_COLUMNS):
            i = g * 5 + c
            if i < len(values):
                token, line = values[i]
                table[group][column] = parse_value(token)
                if table[group][column] is not None:
                    result.cell_lines[f"tables.review_litigation.{group}.{column}"] = line
            else:
                table[group][column] = None
    return table
