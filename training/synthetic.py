"""Generated training pages: reports of all three kinds with their gold line labels.

Five real pages cannot show a CRF the ways sites render these reports, so the generator
writes pages the way real ones vary: bodies of every level and year, the 2019/2021
tables and legacy 附表, prose from a phrase bank, furniture and metadata blocks in several
site styles, tables flattened one cell per line or one row per line (spaces, tabs,
trailing blank cells, pipes), split header and label cells, missing header words, PDF
line wraps and page numbers, copies repeated on a page, several reports on one page,
dropped characters. Everything is drawn from a seeded `random.Random`, so a corpus is
reproducible from its seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from annotations.labelstudio import AnnotatedDocument
from model.lines import split_lines

CN = "一二三四五六七八九十"
PROVINCES = [
    "湖南省",
    "湖北省",
    "浙江省",
    "江苏省",
    "四川省",
    "河北省",
    "广东省",
    "云南省",
    "山东省",
]
CITIES = [
    "永州市",
    "十堰市",
    "杭州市",
    "淮安市",
    "成都市",
    "张家口市",
    "韶关市",
    "曲靖市",
    "临沂市",
]
COUNTIES = ["双牌县", "郧阳区", "临安区", "洪泽区", "金堂县", "蔚县", "乳源县", "陆良县", "沂水县"]
TOWNS = ["何家洞镇", "城关镇", "河桥镇", "南安镇", "高良涧街道", "赵集镇", "龙泉街道", "大桥乡"]
DEPARTMENTS = [
    "城管执法局",
    "教育局",
    "人力资源和社会保障局",
    "生态环境局",
    "卫生健康委员会",
    "财政局",
    "自然资源和规划局",
    "市场监督管理局",
    "民政局",
    "住房和城乡建设局",
]


@dataclass
class Page:
    """Lines of a generated page with their labels; blank lines carry no label."""

    rows: list[tuple[str, str | None]] = field(default_factory=list)

    def add(self, label: str | None, *texts: str) -> None:
        for text in texts:
            self.rows.append((text, label))

    def extend(self, rows: list[tuple[str, str | None]]) -> None:
        self.rows.extend(rows)


def generate_corpus(n: int, seed: int = 0) -> list[AnnotatedDocument]:
    """`n` generated pages as annotated documents."""
    rng = random.Random(seed)
    return [_to_document(generate_page(rng), f"synthetic-{seed}-{i}") for i in range(n)]


def generate_page(rng: random.Random) -> Page:
    kind = rng.choices(["single", "copies", "aggregator"], weights=[7, 2, 1])[0]
    page = Page()
    org = _organisation(rng)
    if kind == "aggregator":
        page.extend(_furniture_top(rng, org))
        page.add("NOISE", rng.choice(["信息公开年度报告范文", "政府信息公开工作报告（精选10篇）"]))
        page.add(
            "NOISE",
            f"时间:{rng.randint(2018, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 0{rng.randint(0, 9)}:{rng.randint(10, 59)}:{rng.randint(10, 59)}",
        )
        for k in range(1, rng.randint(3, 6)):
            page.add("NOISE", rng.choice([f"篇{k}", f"篇{k}:", f"第{k}篇"]))
            page.extend(_report(rng, _organisation(rng), rng.randint(2008, 2018), bare=True))
        page.extend(_furniture_bottom(rng))
        return _layout(rng, page)
    year = rng.choice([rng.randint(2008, 2018), rng.randint(2019, 2020), rng.randint(2021, 2025)])
    page.extend(_furniture_top(rng, org))
    page.extend(_meta_block(rng, org, year))
    report_seed = rng.random()
    page.extend(_report(random.Random(report_seed), org, year))
    if kind == "copies":  # the same report again, its tables flattened another way
        for _ in range(rng.randint(1, 2)):
            page.extend(_report(random.Random(report_seed), org, year, style=_TableStyle.draw(rng)))
    page.extend(_furniture_bottom(rng))
    if rng.random() < 0.3:
        page.extend(_meta_block(rng, org, year))
    return _layout(rng, page)


# --- page furniture and metadata -------------------------------------------------------


def _furniture_top(rng: random.Random, org: str) -> list[tuple[str, str | None]]:
    rows = []
    if rng.random() < 0.6:
        rows.append(
            (rng.choice([org, _site_name(rng), "政府信息公开", "关怀版 无障碍 无障碍"]), "NOISE")
        )
    if rng.random() < 0.7:
        sep = rng.choice([" > ", ">", " >> ", " / "])
        parts = [
            "首页",
            rng.choice(["政务公开", "信息公开", "政府信息公开"]),
            rng.choice(["政府信息公开年度报告", "年度报告", "法定主动公开内容"]),
        ]
        rows.append(
            (
                rng.choice(["您现在所在的位置: ", "当前位置：", "您当前所在位置: "])
                + sep.join(parts),
                "NOISE",
            )
        )
    for item in rng.sample(
        [
            "分享到:",
            "打印",
            "【字体：大 中 小】",
            "访问量:",
            "浏览次数：" + str(rng.randint(1, 9999)),
            "收藏",
            "1231231231",
            "扫一扫在手机打开当前页",
        ],
        rng.randint(0, 3),
    ):
        rows.append((item, "NOISE"))
    return rows


def _furniture_bottom(rng: random.Random) -> list[tuple[str, str | None]]:
    items = [
        "相关文章",
        "分享:",
        "字体: [",
        "]",
        "打印",
        "关闭窗口",
        "扫一扫在手机打开当前页",
        "上一篇：",
        "下一篇：",
        "版权所有：" + _site_name(rng),
        "网站标识码：" + str(rng.randint(10**9, 10**10)),
        "ICP备" + str(rng.randint(10**7, 10**8)) + "号",
        "主办单位：" + _site_name(rng),
        "【返回顶部】",
    ]
    return [(x, "NOISE") for x in rng.sample(items, rng.randint(0, 5))]


def _site_name(rng: random.Random) -> str:
    return rng.choice(CITIES) + rng.choice(["人民政府", "人民政府门户网站", "政府网"])


def _meta_block(rng: random.Random, org: str, year: int) -> list[tuple[str, str | None]]:
    date = f"{year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}"
    index_no = f"{rng.randint(10**8, 10**10)}/{year + 1}-{rng.randint(10**4, 10**5)}"
    short = org[-4:] if len(org) > 4 else org
    style = rng.randint(0, 4)
    if style == 0:
        pairs = [
            f"索引号:{index_no} 分类:",
            f"发文机关:{short} 发文日期:{date} {rng.randint(8, 18)}:{rng.randint(10, 59)}",
            f"名称:{org}{year}年政府信息公开年度报告",
            "文号:",
        ]
        bullet = rng.choice(["", "• ", "    • "])
        return [(bullet + p, "META") for p in pairs]
    if style == 1:
        return [(x, "META") for x in ["索引号", "主题分类", "发文日期", "发布机构", "文号"]]
    if style == 2:
        return [
            (f"索引号 {index_no} 公开形式 主动公开", "META"),
            ("公开范围 面向社会 公开时限 长期公开", "META"),
            (f"发布单位 {short} 成文日期 {date}", "META"),
            ("统一编号 有效性", "META"),
        ]
    if style == 3:
        return [
            ("日期:", "META"),
            (f"{date} 1{rng.randint(0, 7)}:0{rng.randint(0, 9)}", "META"),
            ("来源:", "META"),
            (short, "META"),
            ("浏览量:", "NOISE"),
        ]
    return [
        (f"发布时间：{date}", "META"),
        (f"信息来源：{short}", "META"),
        (f"索引号：{index_no}", "META"),
        (f"文号：{short[:2]}政发〔{year + 1}〕{rng.randint(1, 40)}号", "META"),
    ]


def _organisation(rng: random.Random) -> str:
    level = rng.randint(0, 4)
    if level == 0:
        return rng.choice(PROVINCES) + "人民政府"
    if level == 1:
        return rng.choice(CITIES) + rng.choice(["人民政府", ""]) + rng.choice(DEPARTMENTS)
    if level == 2:
        return (
            rng.choice(["", rng.choice(CITIES)])
            + rng.choice(COUNTIES)
            + rng.choice(["人民政府", rng.choice(DEPARTMENTS)])
        )
    if level == 3:
        return (
            rng.choice(["", rng.choice(COUNTIES)])
            + rng.choice(TOWNS)
            + rng.choice(["人民政府", "", "办事处"])
        )
    return rng.choice(["市", "县", "区"]) + rng.choice(DEPARTMENTS)


# --- one report -----------------------------------------------------------------------


def _report(
    rng: random.Random, org: str, year: int, bare: bool = False, style: _TableStyle | None = None
) -> list[tuple[str, str | None]]:
    """A report: title, date, preamble, body, signature; tables flattened as `style` says."""
    template = "2021" if year >= 2021 else "2019" if year >= 2019 else "legacy"
    if template != "legacy" and rng.random() < 0.08:
        template = "legacy"
    r: list[tuple[str, str | None]] = []
    if not bare:
        r += _title(rng, org, year)
        if rng.random() < 0.5:
            r.append((_date_text(rng, year + 1), "SIGNATURE"))
    elif rng.random() < 0.2:
        r.append((org, "TITLE"))
    if rng.random() < 0.7:
        r.append((_preamble(rng, org, year), "NARRATIVE"))
    drawn = _TableStyle.draw(rng)  # drawn even when given, so copies keep the same text
    style = style or drawn
    if template == "legacy":
        r += _legacy_body(rng, org, year, style)
    else:
        r += _template_body(rng, org, year, template, style)
    if rng.random() < 0.6 and not bare:
        r.append((org if rng.random() < 0.7 else org[-6:], "SIGNATURE"))
        r.append((_date_text(rng, year + 1), "SIGNATURE"))
    return r


def _title(rng: random.Random, org: str, year: int) -> list[tuple[str, str | None]]:
    title = f"{org}{year}年{rng.choice(['政府信息公开工作年度报告', '政府信息公开年度报告', '度信息公开工作报告', '政务公开工作年度报告'])}"
    if rng.random() < 0.4:
        cut = rng.choice([title.index("年") + 1, len(title) - 4, len(org)])
        return [(title[:cut], "TITLE"), (title[cut:], "TITLE")] * rng.choice([1, 1, 2])
    return [(title, "TITLE")] * rng.choice([1, 1, 2])


def _date_text(rng: random.Random, year: int) -> str:
    m, d = rng.randint(1, 3), rng.randint(1, 28)
    return rng.choice(
        [
            f"{year}年{m}月{d}日",
            f"{year}{m}月{d}日",
            f"{year}{m}{d}",
            f"{year}年{m}月{d}日",
            f"{year}-{m:02d}-{d:02d}",
        ]
    )


def _preamble(rng: random.Random, org: str, year: int) -> str:
    return rng.choice(
        [
            f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现向社会公布{org}{year}年政府信息公开工作年度报告。",
            f"本年度报告根据《中华人民共和国政府信息公开条例》要求，由{org}编制。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有任何疑问，请与{org}办公室联系（电话：0{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}）。",
            f"编注：本年报由概述、主动公开政府信息情况、依申请公开政府信息情况、复议诉讼情况、存在的主要问题和改进措施等部分组成。本年报中所列数据的统计期限自{year}年1月1日至{year}12月31日止。",
        ]
    )


SENTENCES = [
    "我{u}高度重视政府信息公开工作，成立了以主要负责同志为组长的政府信息公开工作领导小组",
    "严格落实“三审三校”制度，从严把好政治关、法律关、政策关、保密关、文字关",
    "通过政府门户网站、政务新媒体、信息公开栏等渠道及时公开各类政府信息",
    "进一步规范依申请公开办理流程，畅通受理渠道，均在法定期限内答复",
    "加强政府网站和政务新媒体日常监管，及时关停整合更新不及时的账号",
    "全年共召开专题会议{n}次，研究部署政务公开重点工作",
    "组织工作人员参加政务公开业务培训{n}人次，提升业务能力",
    "公开内容的及时性、全面性还有待进一步提高",
    "信息公开工作人员变动较大，业务水平参差不齐",
    "下一步，我们将继续深化重点领域信息公开，不断提升政府透明度",
    "{y}年，我{u}主动公开政府信息{n}条，其中通过政府网站公开{m}条",
    "{y}年，我{u}未收到政府信息公开申请",
    "{y}年，我{u}共受理政府信息公开申请{m}件，均已按时答复",
    "未发生因政府信息公开引起的行政复议和行政诉讼",
    "政府信息公开工作不收取任何费用，不存在减免问题",
    "全年接受公众咨询{n}人次，其中电话咨询{m}人次",
    "将政务公开工作纳入年度绩效考核，切实压实工作责任",
    "依托政务服务平台公开行政许可事项的办理结果",
    "规范管理政府信息公开目录，及时更新公开指南",
    "围绕“放管服”改革、乡村振兴等重点工作加大信息发布和政策解读力度",
]


def _sentence(rng: random.Random, year: int) -> str:
    s = rng.choice(SENTENCES)
    return s.format(
        u=rng.choice(["局", "镇", "区", "县", "委", "办"]),
        n=rng.randint(1, 3000),
        m=rng.randint(0, 300),
        y=year,
    )


def _paragraph(rng: random.Random, year: int, lo: int = 1, hi: int = 4) -> str:
    return "，".join(_sentence(rng, year) for _ in range(rng.randint(lo, hi))) + "。"


def _heading(rng: random.Random, level: int, i: int, text: str) -> str:
    if level == 0:
        return f"{CN[i]}、{text}" if rng.random() < 0.9 else text
    if level == 1:
        return rng.choice([f"（{CN[i]}）{text}", f"({CN[i]}){text}"])
    return rng.choice([f"{i + 1}、{text}", f"{i + 1}.{text}", f"{i + 1}．{text}"])


def _prose_section(rng: random.Random, year: int) -> list[tuple[str, str | None]]:
    """Paragraphs, sub-headings, run-in headed paragraphs and 一是/二是 lists."""
    rows: list[tuple[str, str | None]] = []
    subs = [
        "主动公开情况",
        "依申请公开情况",
        "政府信息管理情况",
        "平台建设情况",
        "监督保障情况",
        "加强组织领导",
        "健全工作制度",
        "存在问题",
        "改进措施",
        "加强培训学习",
    ]
    for i in range(rng.randint(1, 4)):
        form = rng.randint(0, 3)
        sub = rng.choice(subs)
        if form == 0:
            rows.append((_paragraph(rng, year), "NARRATIVE"))
        elif form == 1:
            rows.append((_heading(rng, rng.choice([1, 2]), i, sub), "HEADING"))
            rows.append((_paragraph(rng, year), "NARRATIVE"))
        elif form == 2:
            rows.append(
                (
                    _heading(rng, 1, i, sub) + rng.choice(["。", "。", ""]) + _paragraph(rng, year),
                    "NARRATIVE",
                )
            )
        else:
            for k in range(rng.randint(2, 4)):
                rows.append((f"{CN[k]}是{_paragraph(rng, year, 1, 2)}", "NARRATIVE"))
    return rows


# --- tables ---------------------------------------------------------------------------


@dataclass
class _TableStyle:
    """How one report flattens its tables."""

    layout: str  # "cell", "row", "pipe"
    sep: str
    split_headers: bool
    split_labels: bool
    drop_header_words: bool
    drop_blank_cells: bool

    @classmethod
    def draw(cls, rng: random.Random) -> _TableStyle:
        return cls(
            layout=rng.choices(["cell", "row", "pipe"], weights=[5, 5, 1])[0],
            sep=rng.choice([" ", "  ", "\t", " \t"]),
            split_headers=rng.random() < 0.4,
            split_labels=rng.random() < 0.3,
            drop_header_words=rng.random() < 0.15,
            drop_blank_cells=rng.random() < 0.5,
        )


def _value(rng: random.Random, kind: str = "count") -> str:
    r = rng.random()
    if kind == "change":
        v = rng.randint(-20, 30)
        return f"+{v}" if v > 0 and rng.random() < 0.5 else str(v)
    if kind == "amount":
        return rng.choice(
            [
                "0",
                f"{rng.uniform(0, 9000):.2f}",
                f"{rng.uniform(0, 500):.1f}",
                str(rng.randint(0, 900)),
            ]
        )
    if r < 0.45:
        return "0"
    if r < 0.5:
        return rng.choice(["—", "-", "/", "无", ""])
    return str(rng.randint(1, rng.choice([9, 60, 500, 20000])))


def _split_cell(rng: random.Random, text: str) -> list[str]:
    if len(text) < 4:
        return [text]
    cut = rng.randint(2, len(text) - 1)
    return [text[:cut], text[cut:]]


def _render_table(
    rng: random.Random,
    style: _TableStyle,
    header_rows: list[list[str]],
    rows: list[tuple[str, list[str]]],
) -> list[tuple[str, str | None]]:
    """Header cells, then rows of (label, values), flattened the way `style` says."""
    out: list[tuple[str, str | None]] = []
    headers = [
        [h for h in hr if not (style.drop_header_words and h in ("自然人", "其他", "总计"))]
        for hr in header_rows
    ]
    if style.layout == "cell":
        for hr in headers:
            for h in hr:
                pieces = _split_cell(rng, h) if style.split_headers and rng.random() < 0.5 else [h]
                if len(pieces) > 1 and rng.random() < 0.5:
                    out.append(("\n".join(pieces), "TABLE_HEADER"))  # one cell, two lines
                else:
                    out += [(p, "TABLE_HEADER") for p in pieces]
        for label, values in rows:
            if label:
                if style.split_labels and label.startswith(("（", "(")) and len(label) > 5:
                    close = label.index("）" if "）" in label else ")") + 1
                    out.append((label[:close], "TABLE_LABEL"))
                    out += [(p, "TABLE_LABEL") for p in _split_cell(rng, label[close:])]
                else:
                    out.append((label, "TABLE_LABEL"))
            for v in values:
                if v == "" and style.drop_blank_cells:
                    continue
                out.append((v if v else " ", "TABLE_VALUE" if v else None))
        return out
    if style.layout == "pipe":
        for k, hr in enumerate(headers):
            out.append(("| " + " | ".join(hr) + " |", "TABLE_HEADER"))
            if k == 0:
                out.append(("|" + "---|" * len(hr), "NOISE"))
        for label, values in rows:
            cells = ([label] if label else []) + values
            out.append(("| " + " | ".join(cells) + " |", "TABLE_ROW" if label else "TABLE_VALUE"))
        return out
    for hr in headers:
        if style.split_headers and len(hr) > 2:
            half = len(hr) // 2
            out.append((style.sep.join(hr[:half]), "TABLE_HEADER"))
            out.append((style.sep.join(hr[half:]), "TABLE_HEADER"))
        else:
            out.append((style.sep.join(hr), "TABLE_HEADER"))
    for label, values in rows:
        cells = values if not style.drop_blank_cells else [v for v in values if v]
        text = style.sep.join(([label] if label else []) + cells)
        if label and not any(cells):
            text = label + style.sep * rng.randint(2, 14)  # a label followed by blank cells
        out.append((text, "TABLE_ROW" if label else "TABLE_VALUE"))
    return out


def _table2(rng: random.Random, template: str, style: _TableStyle) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    banner = rng.choice(["第二十条第（{}）项", "第二十条第({})项", "第二十条 第（{}）项"])
    if template == "2021":
        parts = [
            (
                "一",
                ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                [("规章", 3), ("行政规范性文件", 3)],
            ),
            ("五", ["信息内容", "本年处理决定数量"], [("行政许可", 1)]),
            ("六", ["信息内容", "本年处理决定数量"], [("行政处罚", 1), ("行政强制", 1)]),
            ("八", ["信息内容", "本年收费金额（单位：万元）"], [("行政事业性收费", -1)]),
        ]
    else:
        parts = [
            (
                "一",
                ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
                [("规章", 3), ("规范性文件", 3)],
            ),
            (
                "五",
                ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
                [("行政许可", 3), ("其他对外管理服务事项", 3)],
            ),
            (
                "六",
                ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
                [("行政处罚", 3), ("行政强制", 3)],
            ),
            ("八", ["信息内容", "上一年项目数量", "本年增/减"], [("行政事业性收费", 2)]),
            ("九", ["信息内容", "采购项目数量", "采购总金额"], [("政府集中采购", -2)]),
        ]
    for item, header, rows in parts:
        out.append((banner.format(item), "TABLE_HEADER"))
        table_rows = []
        for label, n in rows:
            if n == -1:
                values = [_value(rng, "amount")]
            elif n == -2:
                values = [_value(rng), _value(rng, "amount")]
            else:
                values = [
                    _value(rng) if k != 1 or "增" not in header[2] else _value(rng, "change")
                    for k in range(n)
                ]
            table_rows.append((label, values))
        out += _render_table(rng, style, [header], table_rows)
    return out


TABLE3_ROWS_HEAD = ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"]
TABLE3_RESULT_ROWS = [
    ("（一）予以公开", None),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    (
        "（三）不予公开",
        [
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        ],
    ),
    (
        "（四）无法提供",
        ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"],
    ),
    (
        "（五）不予处理",
        [
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        ],
    ),
]
OTHER_2021 = [
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
]


def _table3(rng: random.Random, template: str, style: _TableStyle) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
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
    empty = rng.random() < 0.2  # results left blank, as in seed 000

    def values() -> list[str]:
        return ["" for _ in range(7)] if empty else [_value(rng) for _ in range(7)]

    rows: list[tuple[str, list[str]]] = [
        (label, [_value(rng) for _ in range(7)]) for label in TABLE3_ROWS_HEAD
    ]
    rows.append(("三、本年度办理结果", []))
    results = list(TABLE3_RESULT_ROWS)
    results.append(("（六）其他处理", OTHER_2021 if template == "2021" else None))
    for group, subs in results:
        if subs is None:
            rows.append((group, values()))
        else:
            rows.append((group, []))
            rows += [(s, values()) for s in subs]
    rows.append(("（七）总计", values()))
    rows.append(("四、结转下年度继续办理", [_value(rng) for _ in range(7)]))
    if style.layout == "row" and rng.random() < 0.5:
        # group labels run into their first sub-row: "(三)不予公开 1.属于国家秘密 0 0 ..."
        merged: list[tuple[str, list[str]]] = []
        pending = ""
        for label, vals in rows:
            if not vals:
                pending = (pending + " " + label).strip()
                continue
            merged.append(((pending + " " + label).strip(), vals))
            pending = ""
        rows = merged
    return out + _render_table(rng, style, headers, rows)


def _table4(rng: random.Random, style: _TableStyle) -> list[tuple[str, str | None]]:
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    headers = [
        ["行政复议", "行政诉讼"],
        results + ["未经复议直接起诉", "复议后起诉"],
        results + results,
    ]
    values = [_value(rng) if rng.random() < 0.3 else "0" for _ in range(15)]
    return _render_table(rng, style, headers, [("", values)])


def _template_body(
    rng: random.Random, org: str, year: int, template: str, style: _TableStyle
) -> list[tuple[str, str | None]]:
    titles = [
        "总体情况",
        "主动公开政府信息情况",
        "收到和处理政府信息公开申请情况",
        "政府信息公开行政复议、行政诉讼情况",
        "存在的主要问题及改进情况",
        "其他需要报告的事项",
    ]
    if rng.random() < 0.3:
        titles[3] = "政府信息公开工作被申请行政复议、提起行政诉讼情况"
    out: list[tuple[str, str | None]] = []
    for i, title in enumerate(titles):
        out.append((_heading(rng, 0, i, title), "HEADING"))
        if i == 0:
            out += _prose_section(rng, year)
        elif i == 1:
            out += _table2(rng, template, style)
        elif i == 2:
            if rng.random() < 0.2:
                out.append((_paragraph(rng, year, 1, 2), "NARRATIVE"))
            out += _table3(rng, template, style)
        elif i == 3:
            if rng.random() < 0.2:
                out.append((_paragraph(rng, year, 1, 1), "NARRATIVE"))
            out += _table4(rng, style)
        else:
            out += _prose_section(rng, year)
    return out


def _legacy_body(
    rng: random.Random, org: str, year: int, style: _TableStyle
) -> list[tuple[str, str | None]]:
    titles = [
        "概述",
        "主动公开政府信息情况",
        "依申请公开政府信息情况",
        "政府信息公开的收费及减免情况",
        "因政府信息公开申请行政复议、提起行政诉讼的情况",
        "存在的主要问题和改进措施",
    ]
    titles = titles[: rng.randint(3, 6)]
    out: list[tuple[str, str | None]] = []
    for i, title in enumerate(titles):
        out.append((_heading(rng, 0, i, title), "HEADING"))
        out += _prose_section(rng, year)
    if rng.random() < 0.5:
        out.append((_heading(rng, 0, len(titles), "附表"), "HEADING"))
        out += _appendix(rng, style)
    elif rng.random() < 0.3:
        out.append((f"附件：{org}{year}年政府信息公开工作情况统计表", "CAPTION"))
    return out


def _appendix(rng: random.Random, style: _TableStyle) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    tables = [
        (
            "主动公开情况",
            ["内容", "单位", "数量"],
            [
                ("主动公开信息数", ["条", _value(rng)]),
                ("其中：全文电子化的主动公开信息数", ["条", _value(rng)]),
                ("行政许可事项公开数", ["项", _value(rng)]),
            ],
        ),
        (
            "依申请公开情况",
            ["内容", "单位", "数量"],
            [("申请总数", ["件", _value(rng)]), ("已答复数", ["件", _value(rng)])],
        ),
        (
            "政务公开咨询情况",
            ["内容", "单位", "数量"],
            [
                ("网上咨询数", ["人次", _value(rng)]),
                ("现场接待人数", ["人次", _value(rng)]),
                ("咨询电话接听数", ["人次", _value(rng)]),
            ],
        ),
    ]
    for k, (caption, header, rows) in enumerate(rng.sample(tables, rng.randint(1, 3))):
        suffix = "（无）" if rng.random() < 0.2 else ""
        out.append((f"（{CN[k]}）{caption}{suffix}", "CAPTION"))
        if suffix:
            continue
        if rng.random() < 0.3:
            out.append(("单位：件", "CAPTION"))
        out += _render_table(rng, style, [header], rows)
    return out


# --- page layout: blank lines, indentation, PDF wraps, character noise ----------------------


def _layout(rng: random.Random, page: Page) -> Page:
    """Blank lines and indentation the way sites do them, or wraps and page numbers of PDFs."""
    pdf_like = rng.random() < 0.25
    blank_between = not pdf_like and rng.random() < 0.4
    indent = rng.choice(["", "", "    ", "\u3000\u3000"])
    out = Page()
    since_page = 0
    page_no = 1
    for text, label in page.rows:
        pieces = text.split("\n")
        if pdf_like and label in ("NARRATIVE", "HEADING", "TITLE", "CAPTION") and len(text) > 30:
            width = rng.randint(24, 34)
            pieces = [text[k : k + width] for k in range(0, len(text), width)]
        for piece in pieces:
            piece = _noise(rng, piece)
            out.add(label, (indent if label not in ("TABLE_VALUE",) else indent) + piece)
            if blank_between:
                out.add(None, "")
            since_page += 1
            if pdf_like and since_page > rng.randint(28, 45):
                out.add("NOISE", rng.choice([f"- {page_no} -", f"— {page_no} —", f"{page_no}"]))
                page_no += 1
                since_page = 0
    return out


def _noise(rng: random.Random, text: str) -> str:
    """Stray spaces and swapped bracket widths, as scraped pages have them."""
    if rng.random() < 0.05 and len(text) > 6:
        k = rng.randint(1, len(text) - 1)
        text = text[:k] + " " + text[k:]
    if rng.random() < 0.3:
        text = text.replace("（", "(").replace("）", ")")
    return text


def _to_document(page: Page, doc_id: str) -> AnnotatedDocument:
    text = "\n".join(t for t, _ in page.rows)
    lines = split_lines(text)
    labels_by_no = {}
    no = 1
    for t, label in page.rows:
        if t.strip():
            labels_by_no[no] = label
        no += 1
    labels = [labels_by_no[line.no] for line in lines]
    keep = [i for i, label in enumerate(labels) if label is not None]
    return AnnotatedDocument(
        doc_id=doc_id,
        source=f"{doc_id}.txt",
        lines=[lines[i] for i in keep],
        labels=[labels[i] for i in keep],
    )
