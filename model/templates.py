"""The national templates of the annual report, and the other fixed words of these pages,
written once: everything else (the lexicons the features look up, the cutter, the
assembler's tables and checks, the page generator) derives from here.

A report since 2019 prints three standard tables (schema.md): table 2 (主动公开政府信息情况)
in blocks by article 20's items, table 3 (收到和处理政府信息公开申请情况) rows x applicant
columns, table 4 (行政复议、行政诉讼) three groups of five results. The 2019 and 2021
templates differ in table 2's columns and in table 3's (六)其他处理 (one row, or three).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TEMPLATES = ("2019", "2021")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as printed
    pieces: tuple[str, ...] = ()  # how the header breaks over two lines in print
    amount: bool = False  # a float in 万元 or 元, not a count


@dataclass(frozen=True)
class Row:
    key: str
    printed: str  # as the template prints it, numbering and note included
    variants: tuple[str, ...] = ()  # other words reports print for it
    group: str | None = None  # table 3: the group whose numbered sub-row it is

    @property
    def numbering(self) -> str:
        """`一`, `(一)` or `1`: the row's own number within the template."""
        m = NUMBERING_OF_ROW.match(self.printed)
        if not m:
            return ""
        token = m.group(0)
        return f"({token[1:-1]})" if token.startswith("（") else token[:-1]

    @property
    def words(self) -> str:
        """The label's words without numbering, note, quotes or punctuation: what rows are
        matched on (`危及三安全一稳定`)."""
        text = NUMBERING_OF_ROW.sub("", self.printed, count=1)
        text = re.sub(r"[（(][^）)]*[）)]$", "", text)  # (区分处理的，只计这一情形…)
        return re.sub(r"[^\u4e00-\u9fff]", "", text)

    @property
    def parts(self) -> tuple[str, ...]:
        """A long label printed in two parts joined by 、 (and broken there in print)."""
        text = NUMBERING_OF_ROW.sub("", self.printed, count=1)
        text = re.sub(r"[（(][^）)]*[）)]$", "", text)
        return tuple(re.sub(r"[^\u4e00-\u9fff]", "", p) for p in text.split("、"))


NUMBERING_OF_ROW = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}\.)"
)


# --- table 2: 主动公开政府信息情况 ------------------------------------------------------------

T2_COLUMNS = {
    c.key: c
    for c in (
        Column("new_made", "本年新制作数量", pieces=("本年新", "制作数量")),
        Column("new_published", "本年新公开数量", pieces=("本年新", "公开数量")),
        Column("total_published", "对外公开总数量"),
        Column("previous_count", "上一年项目数量"),
        Column("change", "本年增/减", pieces=("本年增减",)),
        Column("decisions", "处理决定数量"),
        Column("project_count", "采购项目数量"),
        Column("total_amount", "采购总金额", amount=True),
        Column("issued", "本年制发件数"),
        Column("repealed", "本年废止件数"),
        Column("in_force", "现行有效件数"),
        Column("amount", "本年收费金额（单位：万元）", amount=True),
    )
}
T2_DECISIONS_2021 = "本年处理决定数量"  # the 2021 template's header of `decisions`
T2_FIRST_HEADER = "信息内容"
T2_ROWS = {
    r.key: r
    for r in (
        Row("regulations", "规章"),
        Row("normative_documents", "规范性文件", variants=("行政规范性文件",)),
        Row("licensing", "行政许可"),
        Row("other_services", "其他对外管理服务事项", variants=("对外管理服务事项",)),
        Row("penalty", "行政处罚"),
        Row("coercion", "行政强制"),
        Row("fees", "行政事业性收费"),
        Row("procurement", "政府集中采购"),
    )
}


@dataclass(frozen=True)
class Item:
    """A block of table 2: the item of article 20 it reports (第二十条第（一）项), its rows
    and their columns."""

    number: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]


T2_ITEMS = {
    "2019": (
        Item(
            "一",
            ("regulations", "normative_documents"),
            ("new_made", "new_published", "total_published"),
        ),
        Item("五", ("licensing", "other_services"), ("previous_count", "change", "decisions")),
        Item("六", ("penalty", "coercion"), ("previous_count", "change", "decisions")),
        Item("八", ("fees",), ("previous_count", "change")),
        Item("九", ("procurement",), ("project_count", "total_amount")),
    ),
    "2021": (
        Item("一", ("regulations", "normative_documents"), ("issued", "repealed", "in_force")),
        Item("五", ("licensing",), ("decisions",)),
        Item("六", ("penalty", "coercion"), ("decisions",)),
        Item("八", ("fees",), ("amount",)),
    ),
}
# Rows of the 2019 template some 2021 reports still print, read with these columns.
T2_CARRIED_INTO_2021 = {
    "other_services": ("decisions",),
    "procurement": ("project_count", "total_amount"),
}


# Words of table 2's column headers that tell the templates apart (any piece of a header
# broken over lines still holds one).
TEMPLATE_MARKS = {
    "2021": ("制发", "废止", "现行有效", "本年处理决定", "收费金额"),
    "2019": ("新制作", "新公开", "对外公开总", "上一年项目", "本年增", "采购项目"),
}


def table2_columns(template: str) -> dict[str, tuple[str, ...]]:
    """Row key -> its columns in `template`."""
    columns = {row: item.columns for item in T2_ITEMS[template] for row in item.rows}
    return columns | (T2_CARRIED_INTO_2021 if template == "2021" else {})


# --- table 3: 收到和处理政府信息公开申请情况 --------------------------------------------------

T3_COLUMNS = {
    c.key: c
    for c in (
        Column("natural_person", "自然人"),
        Column("commercial", "商业企业"),
        Column("research", "科研机构"),
        Column("social_welfare", "社会公益组织"),
        Column("legal_services", "法律服务机构"),
        Column("other_org", "其他"),
        Column("total", "总计"),
    )
}
T3_HEADERS = ("申请人情况", "法人或其他组织")  # group headers over the columns
# In template order; groups (no values of their own) set the context of their sub-rows.
T3_ROWS = {
    r.key: r
    for r in (
        Row("new_received", "一、本年新收政府信息公开申请数量"),
        Row("carried_over", "二、上年结转政府信息公开申请数量"),
        Row("results", "三、本年度办理结果"),
        Row("granted", "（一）予以公开"),
        Row("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
        Row("denied", "（三）不予公开"),
        Row("denied_state_secret", "1.属于国家秘密", group="denied"),
        Row("denied_prohibited_by_law", "2.其他法律行政法规禁止公开", group="denied"),
        Row("denied_security_stability", "3.危及“三安全一稳定”", group="denied"),
        Row("denied_third_party", "4.保护第三方合法权益", group="denied"),
        Row("denied_internal_affairs", "5.属于三类内部事务信息", group="denied"),
        Row("denied_process_info", "6.属于四类过程性信息", group="denied"),
        Row("denied_enforcement_files", "7.属于行政执法案卷", group="denied"),
        Row("denied_inquiry", "8.属于行政查询事项", group="denied"),
        Row("unavailable", "（四）无法提供"),
        Row("unavailable_not_held", "1.本机关不掌握相关政府信息", group="unavailable"),
        Row("unavailable_needs_creation", "2.没有现成信息需要另行制作", group="unavailable"),
        Row("unavailable_unclear", "3.补正后申请内容仍不明确", group="unavailable"),
        Row("rejected", "（五）不予处理"),
        Row("rejected_complaint", "1.信访举报投诉类申请", group="rejected"),
        Row("rejected_duplicate", "2.重复申请", group="rejected"),
        Row("rejected_publication", "3.要求提供公开出版物", group="rejected"),
        Row("rejected_excessive", "4.无正当理由大量反复申请", group="rejected"),
        Row("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", group="rejected"),
        Row("other", "（六）其他处理"),
        Row(
            "other_no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            group="other",
        ),
        Row(
            "other_unpaid_fee",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            group="other",
        ),
        Row("other_misc", "3.其他", group="other"),
        Row("total", "（七）总计"),
        Row("carried_forward", "四、结转下年度继续办理"),
    )
}
T3_GROUPS = frozenset({"results", "denied", "unavailable", "rejected"})  # never take values
# (六)其他处理 is one row in the 2019 template, the group of three sub-rows in 2021's.
T3_OTHER_SUBROWS = ("other_no_correction", "other_unpaid_fee", "other_misc")
# The identities of table 3 (schema.md `checks`): per column, new_received + carried_over
# = total + carried_forward; the result rows add up to total; per row, the six applicant
# columns add up to total.
BALANCE = (("new_received", "carried_over"), ("total", "carried_forward"))
BALANCE_ROWS = (*BALANCE[0], *BALANCE[1])
RESULT_ROWS = tuple(k for k in T3_ROWS if k not in T3_GROUPS | set(BALANCE_ROWS))
APPLICANT_COLUMNS = tuple(T3_COLUMNS)[:-1]  # they add up to `total`


def result_rows(template: str) -> tuple[str, ...]:
    if template == "2021":
        return tuple(r for r in RESULT_ROWS if r != "other")
    return tuple(r for r in RESULT_ROWS if r not in T3_OTHER_SUBROWS)


# The words a numbered sub-row of table 3 (1. 2. …) starts with, as the cutter tells it from
# prose on a page that lost its line breaks: enough of each label, no more.
T3_SUBROW_STARTS = (
    "属于",
    "其他法律",
    "危及",
    "保护第三方",
    "本机关",
    "没有现成",
    "补正后",
    "信访",
    "重复申请",
    "要求",
    "无正当",
    "申请人",
    "其他",
)
T3_CAPTION = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# --- table 4: 政府信息公开行政复议、行政诉讼情况 --------------------------------------------

T4_GROUPS = {
    "review": "行政复议",
    "litigation_direct": "未经复议直接起诉",
    "litigation_after_review": "复议后起诉",
}
T4_LITIGATION = "行政诉讼"  # the header over the two litigation groups
T4_COLUMNS = {
    c.key: c
    for c in (
        Column("upheld", "结果维持"),
        Column("corrected", "结果纠正"),
        Column("other", "其他结果"),
        Column("pending", "尚未审结"),
        Column("total", "总计"),
    )
}
T4_PARTS = tuple(T4_COLUMNS)[:-1]  # per group they add up to `total`

# --- what a report's pages print around the tables -------------------------------------------

ARTICLE_ITEM = re.compile(
    r"第[一二三四五六七八九十]+条\s*第\s*[（(][一二三四五六七八九十]+[)）]\s*项"
)


def template_header_words() -> tuple[str, ...]:
    """Every column and group header of tables 2, 3 and 4 as printed, and their pieces."""
    words = [T2_FIRST_HEADER, T2_DECISIONS_2021, *T3_HEADERS, *T4_GROUPS.values(), T4_LITIGATION]
    for column in (*T2_COLUMNS.values(), *T3_COLUMNS.values(), *T4_COLUMNS.values()):
        words += [re.sub(r"（.*?）", "", column.header), *column.pieces]
    return tuple(dict.fromkeys(words))


def template_row_words() -> tuple[str, ...]:
    """Every row label of tables 2 and 3 without its numbering, and the parts of the long
    ones (`申请人无正当理由逾期不补正` / `行政机关不再处理其政府信息公开申请`)."""
    words: list[str] = []
    for row in T2_ROWS.values():
        words += [
            row.words,
            *(v for v in row.variants if v not in row.words),
        ]  # not shortened forms
    for row in T3_ROWS.values():
        words += list(row.parts) if len(row.parts) > 1 else [row.words]
    return tuple(dict.fromkeys(words))


# --- CMS metadata blocks ---------------------------------------------------------------------

# The keys of a CMS's metadata block (索引号 …), as government sites print them.
CMS_KEYS = (
    "索引号",
    "文号",
    "发文字号",
    "发文机关",
    "发文日期",
    "发布机构",
    "发布单位",
    "成文日期",
    "主题分类",
    "分类",
    "公开形式",
    "公开范围",
    "公开时限",
    "公开方式",
    "有效性",
    "统一编号",
    "发布时间",
    "发布日期",
    "信息来源",
    "来源",
    "日期",
    "名称",
    "生成日期",
    "组配分类",
    "体裁分类",
    "服务对象",
    "公开时间",
    "所属机构",
    "信息分类",
    "主题词",
    "时效",
)
# Keys of the header lines archivers and portals write above a page (标题: …, 栏目: …,
# 时间：…): metadata too, but not the CMS's own block.
HEADER_LINE_KEYS = (
    "标题",
    "栏目",
    "原文链接",
    "本地目录",
    "时间",
    "公开日期",
    "访问量",
    "浏览次数",
    "字号",
)
# CMS keys -> schema `metadata` keys (raw values are kept as written)
META_FIELDS = {
    "index_no": ("索引号",),
    "doc_no": ("文号", "发文字号"),
    "publisher": ("发布机构", "发文机关", "发布单位", "信息来源", "来源", "所属机构"),
    "category": ("主题分类", "信息分类", "组配分类", "分类"),
}
PUBLISHED_KEYS = (
    "发文日期",
    "成文日期",
    "发布时间",
    "发布日期",
    "公开日期",
    "公开时间",
    "生成日期",
    "日期",
    "时间",
)
TITLE_KEYS = ("标题", "名称")


def cms_keys() -> tuple[str, ...]:
    """Every key of a metadata block or header line, longest first (for matching)."""
    return tuple(sorted({*CMS_KEYS, *HEADER_LINE_KEYS}, key=lambda k: (-len(k), k)))


# Keys no sentence writes: a page that lost its line breaks is cut before them even
# without a colon (`发布机构平潭县财政局`). The others are words of prose too (公开形式, 时效).
DISTINCTIVE_META_KEYS = (
    "索引号",
    "主题分类",
    "发文日期",
    "发文机关",
    "发布机构",
    "发布单位",
    "成文日期",
    "发布时间",
    "信息来源",
    "文号",
)
# Short generic keys count as keys only with their colon: `时间` alone is a word.
KEYS_NEEDING_COLON = frozenset({"来源", "分类", "日期", "时间", "标题", "名称", "栏目"})

# --- names of government bodies --------------------------------------------------------------

# What the name of a government body ends with (`…人民政府`, `…局`, `…镇`).
BODY_SUFFIXES = (
    "人民政府",
    "政府",
    "局",
    "委员会",
    "办公室",
    "办事处",
    "街道",
    "镇",
    "乡",
    "厅",
    "委",
    "中心",
)
# What else a body's name may end with, once it is known to be one: an office (办公厅, 办),
# a court or bureau (院, 署), or the place whose government it is (区, 县, 市).
MORE_BODY_SUFFIXES = ("办公厅", "办", "街道办事处", "院", "署", "区", "县", "市")
# What a body's name ends with where a report names itself in prose (`市城管执法局`): a
# bare 县 or 区 there is a place, not a body.
PROSE_BODY_SUFFIXES = ("执法局", "局", "委员会", "人民政府", "政府办公室")
# The suffixes of a sub-office that compiles or posts a body's report (not the body).
SUB_OFFICE_SUFFIXES = ("办公室", "办公厅", "党政办", "综合科", "综合处", "办")

# --- numbering -------------------------------------------------------------------------------

CN_DIGITS = "一二三四五六七八九十"
TOP_NUMBERING = rf"[{CN_DIGITS}]+[、.．]"  # 一、 a report's parts; table 3's first rows
PAREN_NUMBERING = rf"[(（][{CN_DIGITS}]+[)）]"  # (一) sub-parts; table 3's result rows
ARABIC_NUMBERING = r"\d{1,2}[.．、]"  # 1. sub-rows


CN_DIGIT_VALUES = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "两": 2}


def cn_number(text: str) -> int:
    """A number written in Chinese: 一 .. 九十九, 两, 元/正 (the first month), or digit by
    digit (二○一○); 0 when `text` is not one."""
    if text in ("元", "正"):
        return 1
    if not text or any(c not in CN_DIGIT_VALUES and c != "十" for c in text):
        return 0
    if "十" not in text:
        return int("".join(str(CN_DIGIT_VALUES[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (CN_DIGIT_VALUES[tens] if tens else 1) * 10 + (CN_DIGIT_VALUES[ones] if ones else 0)
