"""Generated tables 2, 3 and 4: numbers first (the gold), then one of many flattenings."""

from __future__ import annotations

import random
from dataclasses import dataclass

from nianbao.model import templates
from nianbao.training.synthetic.phrases import Rows

T2_COLUMNS = {t: templates.table2_columns(t) for t in templates.TEMPLATES}
T3_COLUMNS = tuple(templates.T3_COLUMNS)
T4_GROUPS = tuple(templates.T4_GROUPS)
T4_COLUMNS = tuple(templates.T4_COLUMNS)
T2_LABELS = {k: row.printed for k, row in templates.T2_ROWS.items()}
T2_HEADERS = {k: c.header for k, c in templates.T2_COLUMNS.items()}
T2_ITEMS = {
    template: [(item.number, list(item.rows)) for item in items]
    for template, items in templates.T2_ITEMS.items()
}
_PRINTED = {k: row.printed for k, row in templates.T3_ROWS.items()}
T3_LABELS = {k: p for k, p in _PRINTED.items() if k not in templates.T3_GROUPS}
# a group's label printed above its first sub-row
T3_GROUPS = {
    next(k for k, r in templates.T3_ROWS.items() if r.group == group): _PRINTED[group]
    for group in ("denied", "unavailable", "rejected", "other")
}
RESULTS_2021 = list(templates.result_rows("2021"))


# Header cells some renderings leave out (a merged cell drawn once)
_DROPPABLE_HEADERS = {
    templates.T3_COLUMNS[k].header for k in ("natural_person", "other_org", "total")
}


def _half_width(text: str) -> str:
    return text.translate(str.maketrans("（）：，", "():,"))


RESULTS_2019 = list(templates.result_rows("2019"))
BLANKS = ["—", "-", "/", "无", "——"]


@dataclass
class TableStyle:
    """How one rendering of a report flattens its tables."""

    layout: str  # "cell", "row", "pipe", "pdf"
    sep: str
    split_headers: bool
    split_labels: bool
    drop_header_words: bool
    full_width_digits: bool

    @classmethod
    def draw(cls, rng: random.Random, layouts: tuple[str, ...]) -> TableStyle:
        return cls(
            layout=rng.choice(layouts),
            sep=rng.choice([" ", "  ", "\t", " \t"]),
            split_headers=rng.random() < 0.4,
            split_labels=rng.random() < 0.3,
            drop_header_words=rng.random() < 0.15,
            full_width_digits=rng.random() < 0.1,
        )


# --- numbers ---------------------------------------------------------------------------------


def _count(rng: random.Random, scale: int) -> int:
    return 0 if rng.random() < 0.5 else rng.randint(1, scale)


def table2_numbers(rng: random.Random, template: str) -> dict:
    table: dict = {}
    for _, rows in T2_ITEMS[template]:
        for row in rows:
            values = {}
            for column in T2_COLUMNS[template][row]:
                if column == "change":
                    values[column] = rng.randint(-20, 30)
                elif column in ("amount", "total_amount"):
                    values[column] = rng.choice(
                        [0.0, round(rng.uniform(0, 9000), 2), round(rng.uniform(0, 99), 1)]
                    )
                else:
                    values[column] = _count(rng, rng.choice([9, 60, 500, 20000]))
                if rng.random() < 0.04:
                    values[column] = None
            table[row] = values
    return table


def table3_numbers(rng: random.Random, template: str) -> dict:
    """Applications that add up (a share of reports break an identity, as real ones do)."""
    results = RESULTS_2021 if template == "2021" and rng.random() < 0.8 else RESULTS_2019
    table: dict = {
        row: {} for row in ["new_received", "carried_over", *results, "total", "carried_forward"]
    }
    scale = rng.choice([0, 3, 30, 400, 3000])
    for column in T3_COLUMNS[:-1]:
        new = _count(rng, scale) if scale else 0
        carried = _count(rng, max(1, scale // 10)) if scale and rng.random() < 0.3 else 0
        forward = rng.randint(0, (new + carried) // 5) if new + carried else 0
        handled = new + carried - forward
        split = [0] * len(results)
        for _ in range(handled):
            split[min(int(rng.expovariate(0.6)), len(results) - 1)] += 1
        table["new_received"][column] = new
        table["carried_over"][column] = carried
        for row, v in zip(results, split, strict=True):
            table[row][column] = v
        table["total"][column] = handled
        table["carried_forward"][column] = forward
    for values in table.values():
        values["total"] = sum(values[c] for c in T3_COLUMNS[:-1])
    if rng.random() < 0.15:
        row = rng.choice(list(table))
        table[row][rng.choice(T3_COLUMNS)] += rng.randint(1, 5)
    if rng.random() < 0.15:  # result rows left blank, as some pages do
        for row in [*results, "total"]:
            table[row] = dict.fromkeys(T3_COLUMNS)
    return table


def table4_numbers(rng: random.Random) -> dict:
    table = {}
    blank = rng.random() < 0.1
    for group in T4_GROUPS:
        values = {c: (0 if rng.random() < 0.7 else rng.randint(1, 40)) for c in T4_COLUMNS[:-1]}
        values["total"] = sum(values.values()) + (rng.randint(1, 3) if rng.random() < 0.05 else 0)
        table[group] = dict.fromkeys(T4_COLUMNS) if blank else values
    return table


# --- rendering -------------------------------------------------------------------------------


def _token(rng: random.Random, value, column: str, style: TableStyle) -> str:
    if value is None:
        return rng.choice(BLANKS)
    if isinstance(value, float):
        text = rng.choice([f"{value:.2f}", f"{value:g}"]) if value else rng.choice(["0", "0.00"])
    elif column == "change" and value > 0 and rng.random() < 0.5:
        text = f"+{value}"
    else:
        text = str(value)
    if style.full_width_digits:
        text = text.translate(str.maketrans("0123456789+-.", "０１２３４５６７８９＋－．"))
    return text


def _split(rng: random.Random, text: str, one_char: bool = False) -> list[str]:
    if one_char:
        return list(text)
    if len(text) < 4:
        return [text]
    cut = rng.randint(2, len(text) - 1)
    return [text[:cut], text[cut:]]


def render(
    rng: random.Random,
    style: TableStyle,
    headers: list[list[str]],
    rows: list[tuple[str, list[str]]],
) -> Rows:
    """Header rows, then (label, value tokens) rows, flattened the way `style` says.

    A row whose tokens are all empty strings is a row present with blank cells.
    """
    out: Rows = []
    headers = [
        [h for h in hr if not (style.drop_header_words and h in _DROPPABLE_HEADERS)]
        for hr in headers
    ]
    if style.layout == "cell":
        for hr in headers:
            for h in hr:
                out += [
                    (p, "TABLE_HEADER") for p in (_split(rng, h) if style.split_headers else [h])
                ]
        for label, tokens in rows:
            if label:
                if style.split_labels and label[0] in "（(" and len(label) > 5:
                    close = label.index("）" if "）" in label else ")") + 1
                    out.append((label[:close], "TABLE_LABEL"))
                    out += [(p, "TABLE_LABEL") for p in _split(rng, label[close:])]
                else:
                    out.append((label, "TABLE_LABEL"))
            out += [(t, "TABLE_VALUE") for t in tokens if t]
        return out
    if style.layout == "pipe":
        for k, hr in enumerate(headers):
            out.append(("| " + " | ".join(hr) + " |", "TABLE_HEADER"))
            if k == 0:
                out.append(("|" + "---|" * len(hr), "NOISE"))
        for label, tokens in rows:
            cells = ([label] if label else []) + tokens
            kind = "TABLE_ROW" if label and tokens else "TABLE_LABEL" if label else "TABLE_VALUE"
            out.append(("| " + " | ".join(cells) + " |", kind))
        return out
    pdf = style.layout == "pdf"
    for hr in headers:
        if pdf and style.split_headers:
            longest = max(len(h) for h in hr)
            for k in range(0, longest, 2):  # header cells broken a character or two per line
                piece = " ".join(h[k : k + 2] for h in hr if h[k : k + 2])
                out.append((piece, "TABLE_HEADER"))
        elif style.split_headers and len(hr) > 2:
            half = len(hr) // 2
            out += [
                (style.sep.join(hr[:half]), "TABLE_HEADER"),
                (style.sep.join(hr[half:]), "TABLE_HEADER"),
            ]
        else:
            out.append((style.sep.join(hr), "TABLE_HEADER"))
    for label, tokens in rows:
        values = style.sep.join(t for t in tokens if t) if any(tokens) else ""
        if pdf and label and len(label) > 16 and values:
            cut = rng.randint(8, 14)
            head, tail = label[:cut], label[cut:]
            if rng.random() < 0.5:  # label, values, rest of label
                out += [(head, "TABLE_LABEL"), (values, "TABLE_VALUE"), (tail, "TABLE_LABEL")]
            else:
                out += [(head, "TABLE_LABEL"), (f"{tail} {values}", "TABLE_ROW")]
            continue
        if label and not values:
            text = label + (style.sep * rng.randint(2, 14) if any(t == "" for t in tokens) else "")
            out.append((text, "TABLE_ROW" if text != label else "TABLE_LABEL"))
            continue
        sep = " " if pdf else style.sep
        text = sep.join(([label] if label else []) + ([values] if values else []))
        out.append((text, "TABLE_ROW" if label else "TABLE_VALUE"))
    return out


def _row_tokens(rng: random.Random, values: dict, style: TableStyle) -> list[str]:
    if all(v is None for v in values.values()):
        return [""] * len(values)  # a row present with every cell empty
    return [_token(rng, v, c, style) for c, v in values.items()]


def render_table2(rng: random.Random, table: dict, template: str, style: TableStyle) -> Rows:
    out: Rows = []
    banner = rng.choice(["第二十条第（{}）项", "第二十条第({})项", "第二十条 第（{}）项"])
    for item, rows in T2_ITEMS[template]:
        out.append((banner.format(item), "TABLE_HEADER"))
        columns = T2_COLUMNS[template][rows[0]]
        header = [templates.T2_FIRST_HEADER, *(T2_HEADERS[c] for c in columns)]
        if template == "2021" and columns == ("decisions",):
            header = [templates.T2_FIRST_HEADER, templates.T2_DECISIONS_2021]
        label = {
            **T2_LABELS,
            "normative_documents": templates.T2_ROWS["normative_documents"].variants[0]
            if template == "2021"
            else templates.T2_ROWS["normative_documents"].printed,
        }
        out += render(
            rng, style, [header], [(label[r], _row_tokens(rng, table[r], style)) for r in rows]
        )
    return out


def render_table3(rng: random.Random, table: dict, style: TableStyle) -> Rows:
    out: Rows = []
    if rng.random() < 0.8:
        out.append(
            (
                rng.choice([templates.T3_CAPTION, _half_width(templates.T3_CAPTION)]),
                "CAPTION",
            )
        )
    header = {k: c.header for k, c in templates.T3_COLUMNS.items()}
    applicant, organisations = templates.T3_HEADERS
    headers = [
        [applicant],
        [header["natural_person"], organisations, header["total"]],
        [header[k] for k in templates.APPLICANT_COLUMNS[1:]],
    ]
    rows: list[tuple[str, list[str]]] = []
    for key, values in table.items():
        if key == "granted":
            rows.append((_PRINTED["results"], []))
        if key in T3_GROUPS:
            rows.append((T3_GROUPS[key], []))
        rows.append((T3_LABELS[key], _row_tokens(rng, values, style)))
    if style.layout == "pdf" and rng.random() < 0.6:
        return out + _vertical_group_label(rng, render(rng, style, headers, rows))
    if style.layout in ("row", "pdf") and rng.random() < 0.5:
        merged, pending = [], ""
        for label, tokens in rows:  # group labels run into their first sub-row
            if not tokens:
                pending = f"{pending} {label}".strip()
                continue
            merged.append((f"{pending} {label}".strip(), tokens))
            pending = ""
        rows = merged
    return out + render(rng, style, headers, rows)


def _vertical_group_label(rng: random.Random, rendered: Rows) -> Rows:
    """PDF text of a merged cell written top to bottom: `三`, `、`, `本`, `年` ... between the
    result rows, alone on a line or before a row label."""
    chars = list(_PRINTED["results"])
    out: Rows = []
    started = False
    for text, label in rendered:
        if text.startswith(_PRINTED["results"]):
            started = True
            continue
        if started and chars and label in ("TABLE_ROW", "TABLE_LABEL") and rng.random() < 0.7:
            char = chars.pop(0)
            if rng.random() < 0.5:
                out.append((char, "TABLE_LABEL"))
            else:
                text = f"{char} {text}"
        out.append((text, label))
    return out


def render_table4(rng: random.Random, table: dict, style: TableStyle) -> Rows:
    results = [c.header for c in templates.T4_COLUMNS.values()]
    review, direct, after = templates.T4_GROUPS.values()
    headers = [[review, templates.T4_LITIGATION], [*results, direct, after], results + results]
    values = {f"{g}.{c}": table[g][c] for g in T4_GROUPS for c in T4_COLUMNS}
    return render(rng, style, headers, [("", _row_tokens(rng, values, style))])
