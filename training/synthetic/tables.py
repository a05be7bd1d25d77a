"""Generated tables 2, 3 and 4: numbers first (the gold), then one of many flattenings."""

from __future__ import annotations

import random
from dataclasses import dataclass

from model.assembler.tables import RESULT_ROWS, T2_COLUMNS, T3_COLUMNS, T4_COLUMNS, T4_GROUPS
from training.synthetic.phrases import Rows

T2_LABELS = {
    "regulations": "规章",
    "normative_documents": "规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}
T2_HEADERS = {
    "new_made": "本年新制作数量",
    "new_published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "previous_count": "上一年项目数量",
    "change": "本年增/减",
    "decisions": "处理决定数量",
    "project_count": "采购项目数量",
    "total_amount": "采购总金额",
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "amount": "本年收费金额（单位：万元）",
}
T2_ITEMS = {  # template -> [(第二十条 item, rows)]
    "2019": [
        ("一", ["regulations", "normative_documents"]),
        ("五", ["licensing", "other_services"]),
        ("六", ["penalty", "coercion"]),
        ("八", ["fees"]),
        ("九", ["procurement"]),
    ],
    "2021": [
        ("一", ["regulations", "normative_documents"]),
        ("五", ["licensing"]),
        ("六", ["penalty", "coercion"]),
        ("八", ["fees"]),
    ],
}
T3_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied_state_secret": "1.属于国家秘密",
    "denied_prohibited_by_law": "2.其他法律行政法规禁止公开",
    "denied_security_stability": "3.危及“三安全一稳定”",
    "denied_third_party": "4.保护第三方合法权益",
    "denied_internal_affairs": "5.属于三类内部事务信息",
    "denied_process_info": "6.属于四类过程性信息",
    "denied_enforcement_files": "7.属于行政执法案卷",
    "denied_inquiry": "8.属于行政查询事项",
    "unavailable_not_held": "1.本机关不掌握相关政府信息",
    "unavailable_needs_creation": "2.没有现成信息需要另行制作",
    "unavailable_unclear": "3.补正后申请内容仍不明确",
    "rejected_complaint": "1.信访举报投诉类申请",
    "rejected_duplicate": "2.重复申请",
    "rejected_publication": "3.要求提供公开出版物",
    "rejected_excessive": "4.无正当理由大量反复申请",
    "rejected_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other": "（六）其他处理",
    "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_misc": "3.其他",
    "total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
T3_GROUPS = {
    "denied_state_secret": "（三）不予公开",
    "unavailable_not_held": "（四）无法提供",
    "rejected_complaint": "（五）不予处理",
    "other_no_correction": "（六）其他处理",
}
RESULTS_2021 = [r for r in RESULT_ROWS if r != "other"]
RESULTS_2019 = [r for r in RESULT_ROWS if not r.startswith("other_")]
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
        [h for h in hr if not (style.drop_header_words and h in ("自然人", "其他", "总计"))]
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
        header = ["信息内容", *(T2_HEADERS[c] for c in columns)]
        if template == "2021" and columns == ("decisions",):
            header = ["信息内容", "本年处理决定数量"]
        label = {
            **T2_LABELS,
            "normative_documents": "行政规范性文件" if template == "2021" else "规范性文件",
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
                rng.choice(
                    [
                        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)",
                    ]
                ),
                "CAPTION",
            )
        )
    headers = [
        ["申请人情况"],
        ["自然人", "法人或其他组织", "总计"],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    ]
    rows: list[tuple[str, list[str]]] = []
    for key, values in table.items():
        if key == "granted":
            rows.append(("三、本年度办理结果", []))
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
    chars = list("三、本年度办理结果")
    out: Rows = []
    started = False
    for text, label in rendered:
        if text.startswith("三、本年度办理结果"):
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
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    headers = [
        ["行政复议", "行政诉讼"],
        [*results, "未经复议直接起诉", "复议后起诉"],
        results + results,
    ]
    values = {f"{g}.{c}": table[g][c] for g in T4_GROUPS for c in T4_COLUMNS}
    return render(rng, style, headers, [("", _row_tokens(rng, values, style))])
