"""The accounting identities of table 3 and 4, and the key figures users compare."""

from __future__ import annotations

import re

from model.assembler.tables import RESULT_ROWS, T3_COLUMNS, T4_COLUMNS, T4_GROUPS


def checks(tables: dict) -> list[dict]:
    """Each identity whose terms are all present, with the numbers in `detail`."""
    out: list[dict] = []
    apps = tables.get("applications", {})

    def cell(row: str, column: str):
        return apps.get(row, {}).get(column)

    for column in T3_COLUMNS:
        terms = [
            cell(r, column) for r in ("new_received", "carried_over", "total", "carried_forward")
        ]
        if None not in terms:
            a, b, c, d = terms
            out.append(
                _check(
                    f"applications.balance.{column}",
                    a + b == c + d,
                    f"new_received {a} + carried_over {b} = {a + b}; "
                    f"total {c} + carried_forward {d} = {c + d}",
                )
            )
    for row, values in apps.items():
        parts = [values.get(c) for c in T3_COLUMNS[:-1]]
        if None not in parts and values.get("total") is not None:
            out.append(
                _check(
                    f"applications.row_sum.{row}",
                    sum(parts) == values["total"],
                    f"{' + '.join(map(str, parts))} = {sum(parts)}; total {values['total']}",
                )
            )
    for column in T3_COLUMNS:
        present = [r for r in RESULT_ROWS if r in apps]
        values = [cell(r, column) for r in present]
        total = cell("total", column)
        if present and None not in values and total is not None:
            out.append(
                _check(
                    f"applications.results_sum.{column}",
                    sum(values) == total,
                    f"result rows add up to {sum(values)}; total {total}",
                )
            )
    review = tables.get("review_litigation", {})
    for group in T4_GROUPS:
        values = [review.get(group, {}).get(c) for c in T4_COLUMNS]
        if group in review and None not in values:
            *parts, total = values
            out.append(
                _check(
                    f"review_litigation.{group}.sum",
                    sum(parts) == total,
                    f"{' + '.join(map(str, parts))} = {sum(parts)}; total {total}",
                )
            )
    return out


def _check(name: str, ok: bool, detail: str) -> dict:
    return {"name": name, "ok": bool(ok), "detail": detail}


_ACTIVE = re.compile(
    r"主动公开[^。；;，,]{0,8}?信息(?:共计|共|总数为|总数|数)?\s*(\d[\d,]*)\s*条"
    r"|(?:本年度?|全年)新增[^。；;，,]{0,6}?(\d[\d,]*)\s*条"
)
_APPLICATIONS = re.compile(
    r"(?:收到|受理|接到|接收)[^。；;，,]{0,12}?(?:政府)?信息公开申请(?:共计|共)?\s*(\d[\d,]*)\s*[件条个份]"
    r"|申请公开政府信息\s*(\d[\d,]*)\s*[件条个份]"
)
_NO_APPLICATIONS = re.compile(
    r"(?:未|没有|无)(?:新?收到|受理|接到)[^。；;]{0,15}?申请|无依申请公开事项|未收到[^。；;]{0,6}依申请"
)
_NO_REVIEW = re.compile(
    r"(?:未|没有|无)[^。；;]{0,20}?行政复议|复议[^。；;]{0,16}?(?:没有|无)[;；。]|行政复议申请\s*0\s*件"
)
_NO_LAWSUIT = re.compile(
    r"(?:未|没有|无)[^。；;]{0,30}?行政诉讼|诉讼[^。；;]{0,16}?(?:没有|无)[;；。]"
)
_NO_FEES = re.compile(
    r"(?:不收取|未收取|没有收取)[^。；;]{0,6}费用|(?:没有|无|未)[^。；;]{0,20}收费|不存在减免"
)


def figures(tables: dict, template: str, text: str, appendix: dict[str, int]) -> dict:
    """Key figures: from the tables when there are tables, from the prose or 附表 otherwise."""
    out: dict = {}
    apps = tables.get("applications", {})
    review = tables.get("review_litigation", {})
    if apps.get("new_received", {}).get("total") is not None:
        out["applications_received"] = apps["new_received"]["total"]
    if review:
        if review.get("review", {}).get("total") is not None:
            out["reviews"] = review["review"]["total"]
        direct = review.get("litigation_direct", {}).get("total")
        after = review.get("litigation_after_review", {}).get("total")
        if direct is not None and after is not None:
            out["lawsuits"] = direct + after
    fees = tables.get("active_disclosure", {}).get("fees", {})
    if template == "2021" and fees.get("amount") is not None:
        out["fees_collected"] = round(fees["amount"] * 10000, 2)

    m = next(
        (
            m
            for m in _ACTIVE.finditer(text)
            if not re.search(r"累计|截至|截止|历年", text[max(0, m.start() - 12) : m.start() + 2])
        ),
        None,
    )
    if m:
        out["active_disclosed"] = int((m.group(1) or m.group(2)).replace(",", ""))
    elif "主动公开信息数" in appendix:
        out["active_disclosed"] = appendix["主动公开信息数"]
    if "applications_received" not in out:
        m = _APPLICATIONS.search(text)
        if m:
            out["applications_received"] = int((m.group(1) or m.group(2)).replace(",", ""))
        elif _NO_APPLICATIONS.search(text):
            out["applications_received"] = 0
    if "reviews" not in out and _NO_REVIEW.search(text):
        out["reviews"] = 0
    if "lawsuits" not in out and _NO_LAWSUIT.search(text):
        out["lawsuits"] = 0
    if "fees_collected" not in out and _NO_FEES.search(text):
        out["fees_collected"] = 0
    return out
