"""The key figures users compare across all years (schema.md `figures`), each with the line
it was read from.

Template reports: from the standard tables (table 3's new applications, table 4's totals),
then from the prose for what the tables do not hold (items disclosed, fees charged for
disclosure). Legacy reports: from their ad-hoc 附表 (this year's column, never the
cumulative 历年累计 one), then from the prose. A table beats the prose; when they disagree
a warning names both. `fees_collected` is only what applicants were charged for disclosure
(信息处理费): table 2's 行政事业性收费 is the body's administrative fees, not that.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from nianbao.model.templates import cn_number

Prose = Sequence[tuple[int, str]]  # (line number, text) of the report's narrative


@dataclass
class Figures:
    values: dict[str, int | float] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # figure -> its source line
    sources: dict[str, str] = field(default_factory=dict)  # figure -> where it was read
    warnings: list[str] = field(default_factory=list)

    def offer(self, name: str, value: int | float, line: int | None, source: str) -> None:
        """The first source to offer a figure gives it; a later one that disagrees is
        named in a warning (the tables are offered first, so a table wins)."""
        if name not in self.values:
            self.values[name] = value
            if line is not None:
                self.lines[name] = line
            self.sources[name] = source
        elif self.values[name] != value:
            self.warnings.append(
                f"figures.{name}: {self.sources[name]} says {self.values[name]:g}, "
                f"{source} says {value:g}; kept {self.values[name]:g}"
            )


# --- prose ----------------------------------------------------------------------------------

_NUMBER = r"(\d[\d,]*|[一两二三四五六七八九十]{1,3})"  # `受理两项`: small counts in words
_NOT_THIS_YEAR = re.compile(r"历年|(?<!全年)(?<!本年)累计|近[三两二3]年|以来")
_ACTIVE = re.compile(
    r"主动公开(?:的)?(?:政府)?(?:信息|文件)?(?:共计|共|总数为|总数|数量为|数为|数)?\s*"
    + _NUMBER
    + r"\s*[条份件]"
    r"|主动公开[^。；;]{0,40}?(?:政府)?信息\s*" + _NUMBER + r"\s*条"
    r"|(?<![申请予])公开政府信息\s*" + _NUMBER + r"\s*条"
    r"|(?:本年度?|全年)新增[^。；;，,]{0,6}?" + _NUMBER + r"\s*条"
)
_APPLICATIONS = re.compile(
    r"(?:收到|受理|接到|接收)[^。；;，,]{0,16}?申请[^。；;，,\d]{0,8}?"
    + _NUMBER
    + r"\s*(?:[件条份项]|个(?!工作日))"
    r"|(?:收到|受理|接到|接收)" + _NUMBER + r"\s*[件条个份项]依申请公开"
    r"|受理依申请公开[^。；;，,\d]{0,8}?" + _NUMBER + r"\s*[件条]"
    r"|依申请公开(?:政府)?信息\s*" + _NUMBER + r"\s*[件条]"
    r"|申请公开政府信息\s*" + _NUMBER + r"\s*[件条个份]"
)
_NONE_STATED = r"[^。；;]{0,16}?(?:[(（]无[)）]|[:：]\s*(?:没有|无)[;；。]?)"  # `…情况(无)`
_NO_APPLICATIONS = re.compile(
    r"(?:未|没有|无)(?:新?收到|受理|接到)[^。；;]{0,15}?申请|无依申请公开事项"
    r"|未收到[^。；;]{0,6}依申请|(?:未|没有)收到[^。；;]{0,8}申请公开|依申请公开" + _NONE_STATED
)
_REVIEWS = re.compile(
    r"(\d+)\s*[起件][^。；;，,]{0,12}?行政复议|行政复议[^。；;，,\d]{0,6}(\d+)\s*[起件]"
)
_LAWSUITS = re.compile(
    r"(\d+)\s*[起件][^。；;，,]{0,12}?行政诉讼|行政诉讼[^。；;，,\d]{0,6}(\d+)\s*[起件]"
)
_NO_REVIEWS = re.compile(
    r"(?:未|没有|无)[^。；;]{0,20}?(?:行政)?复议|复议[^。；;]{0,16}?(?:没有|无)[;；。]"
    r"|行政复议申请\s*0\s*件|复议" + _NONE_STATED
)
_NO_LAWSUITS = re.compile(
    r"(?:未|没有|无)[^。；;]{0,30}?(?:行政)?诉讼|诉讼[^。；;]{0,16}?(?:没有|无)[;；。]|诉讼"
    + _NONE_STATED
)
_FEES = re.compile(
    r"(?:收取|收费)[^。；;]{0,10}?(?:信息处理费|处理费)[^。；;\d]{0,6}(\d+(?:\.\d+)?)\s*(万?元)"
)
_NO_FEES = re.compile(
    r"(?:没有|无|未|不)[^。；;]{0,12}?(?:收取|产生|收)[^。；;]{0,12}?(?:信息处理费|处理费|费用)"
    r"|(?:没有|无|未)[^。；;]{0,20}收费|不存在减免|无偿提供"
)


def _count(text: str) -> int:
    """`14`, `1,136`, `两` or `十二` as a number."""
    return int(text.replace(",", "")) if text[0].isdigit() else cn_number(text)


def _first(
    pattern: re.Pattern[str], prose: Prose, this_year: bool = True
) -> tuple[int, int] | None:
    """The first number `pattern` finds (value, line), skipping cumulative ones."""
    for line, text in prose:
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 10) : m.start()] + m.group(0)
            if this_year and _NOT_THIS_YEAR.search(before):
                continue
            number = next(g for g in m.groups() if g)
            return _count(number), line
    return None


def _said(pattern: re.Pattern[str], prose: Prose) -> int | None:
    return next((line for line, text in prose if pattern.search(text)), None)


# --- 附表 ------------------------------------------------------------------------------------

# An indicator table's row label -> the figure it gives (its first number: this year's)
APPENDIX_ROWS = (
    ("active_disclosed", re.compile(r"^主动公开(?:政府)?(?:信息|文件)(?:数|总数|条数)")),
    ("applications_received", re.compile(r"^受理[^其]{0,12}?(?:申请|依申请公开)[^其]{0,8}?总数")),
    ("reviews", re.compile(r"^(?:因政府信息公开)?(?:申请)?行政复议(?:案件)?数")),
    ("lawsuits", re.compile(r"^(?:因政府信息公开)?(?:提起)?行政诉讼(?:案件)?数")),
    ("fees_collected", re.compile(r"收费[^其]{0,6}?金额")),
)


def figures(
    tables: dict, prose: Prose, appendix: Sequence[tuple[str, int | float, int]]
) -> Figures:
    """Key figures of one report from its tables, its 附表 rows (label, first number, line)
    and its prose."""
    out = Figures()
    apps = tables.get("applications", {})
    review = tables.get("review_litigation", {})
    if apps.get("new_received", {}).get("total") is not None:
        out.offer("applications_received", apps["new_received"]["total"], None, "table 3")
    if review.get("review", {}).get("total") is not None:
        out.offer("reviews", review["review"]["total"], None, "table 4")
    direct = review.get("litigation_direct", {}).get("total")
    after = review.get("litigation_after_review", {}).get("total")
    if direct is not None and after is not None:
        out.offer("lawsuits", direct + after, None, "table 4")
    for label, value, line in appendix:
        for name, pattern in APPENDIX_ROWS:
            if pattern.search(label) and name not in out.values:
                out.offer(name, value, line, f"the 附表 row {label}")
    found = _first(_ACTIVE, prose)
    if found:
        out.offer("active_disclosed", found[0], found[1], "the prose")
    found = _first(_APPLICATIONS, prose)
    if found:
        out.offer("applications_received", found[0], found[1], "the prose")
    elif (line := _said(_NO_APPLICATIONS, prose)) is not None:
        out.offer("applications_received", 0, line, "the prose")
    for name, positive, negative in (
        ("reviews", _REVIEWS, _NO_REVIEWS),
        ("lawsuits", _LAWSUITS, _NO_LAWSUITS),
    ):
        found = _first(positive, prose)
        if found:
            out.offer(name, found[0], found[1], "the prose")
        elif (line := _said(negative, prose)) is not None:
            out.offer(name, 0, line, "the prose")
    for line, text in prose:
        m = _FEES.search(text)
        if m:
            amount = float(m.group(1)) * (10000 if m.group(2) == "万元" else 1)
            out.offer("fees_collected", round(amount, 2), line, "the prose")
            break
    if "fees_collected" not in out.values and (line := _said(_NO_FEES, prose)) is not None:
        out.offer("fees_collected", 0, line, "the prose")
    return out
