"""Generated pages: reports of all three kinds with gold line labels AND gold schema values.

Five real pages cannot show a CRF the ways sites render these reports, so the generator
writes pages the way real ones vary: bodies of every level, years 2008-2025 with the
template each year used, numbers that satisfy the identities (and a share that break
them), blanks and dashes; prose from a phrase bank; furniture and metadata blocks in
several site styles; tables one cell per line, one row per line (spaces, tabs, blank
cells), PDF text (wraps, page numbers, broken header cells, labels split around their
values, markdown headings), HTML through the real reader; copies of a report on one page
and several reports on one page. Everything is drawn from a seeded `random.Random`.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field

from nianbao.annotations.labelstudio import AnnotatedDocument
from nianbao.model.lines import split_lines
from nianbao.model.read import read_bytes
from nianbao.training.synthetic import phrases as ph
from nianbao.training.synthetic import tables as tb
from nianbao.training.synthetic.phrases import Rows

TRAINING_LAYOUTS = ("cell", "row", "pdf")  # "pipe" is held out: the test of generalisation
ALL_LAYOUTS = ("cell", "row", "pdf", "pipe")


@dataclass
class GeneratedPage:
    doc_id: str
    rows: Rows
    gold: list[dict] = field(default_factory=list)  # one schema REPORT (subset) per report
    html: bool = False
    collapsed: bool = False  # all lines glued into one, as scrapers that drop breaks save it


def collapse(page: GeneratedPage) -> GeneratedPage:
    """The page as a scraper that keeps no separators saves it: one line of everything."""
    rows = [(text.strip(), label) for text, label in page.rows if text.strip()]
    return GeneratedPage(page.doc_id, rows, page.gold, html=False, collapsed=True)


def generate_corpus(
    n: int, seed: int = 0, layouts: tuple[str, ...] = TRAINING_LAYOUTS, collapsed: float = 0.0
) -> list[AnnotatedDocument]:
    """`n` generated pages as annotated documents (lines + gold labels)."""
    return [to_document(p) for p in generate_pages(n, seed, layouts, collapsed)]


def generate_pages(
    n: int, seed: int = 0, layouts: tuple[str, ...] = TRAINING_LAYOUTS, collapsed: float = 0.0
) -> list[GeneratedPage]:
    """`n` pages; a share `collapsed` of them lose their line breaks (see `collapse`)."""
    rng = random.Random(seed)
    pages = [generate_page(rng, f"synthetic-{seed}-{i}", layouts) for i in range(n)]
    # a separate stream decides which, so the pages themselves do not depend on the share
    return [
        collapse(p) if random.Random(f"{p.doc_id}/collapse").random() < collapsed else p
        for p in pages
    ]


def generate_page(
    rng: random.Random,
    doc_id: str,
    layouts: tuple[str, ...] = TRAINING_LAYOUTS,
    template: str | None = None,
) -> GeneratedPage:
    kind = (
        rng.choices(["single", "copies", "aggregator"], weights=[7, 2, 1])[0]
        if template is None
        else "single"
    )
    page = GeneratedPage(doc_id=doc_id, rows=[])
    if kind == "aggregator":
        page.rows += ph.furniture_top(rng, ph.organisation(rng))
        page.rows.append(
            (rng.choice(["信息公开年度报告范文", "政府信息公开工作报告（精选10篇）"]), "NOISE")
        )
        for k in range(1, rng.randint(3, 6)):
            page.rows.append((rng.choice([f"篇{k}", f"篇{k}:", f"第{k}篇"]), "NOISE"))
            rows, gold = _report(
                rng, ph.organisation(rng), rng.randint(2008, 2018), layouts, bare=True
            )
            page.rows += rows
            page.gold.append(gold)
        page.rows += ph.furniture_bottom(rng)
        return _lay_out(rng, page)
    org = ph.organisation(rng)
    year = rng.choice([rng.randint(2008, 2018), rng.randint(2019, 2020), rng.randint(2021, 2025)])
    if template is not None:
        year = {"2021": rng.randint(2021, 2025), "2019": rng.randint(2019, 2020)}.get(
            template, 2015
        )
    published = f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(10, 28)}"
    meta_rows, published_shown = ph.meta_block(rng, org, published)
    page.rows += ph.furniture_top(rng, org)
    if rng.random() < 0.85:
        page.rows += meta_rows
    else:
        published_shown = None
    report_seed = rng.random()
    rows, gold = _report(random.Random(report_seed), org, year, layouts, template=template)
    page.rows += rows
    if kind == "copies":  # the same report again, its tables flattened another way
        for _ in range(rng.randint(1, 2)):
            style = tb.TableStyle.draw(rng, layouts)
            page.rows += _report(
                random.Random(report_seed), org, year, layouts, style=style, template=template
            )[0]
    page.rows += ph.furniture_bottom(rng)
    gold["published_date"] = published_shown
    page.gold.append(gold)
    return _lay_out(rng, page)


# --- one report -----------------------------------------------------------------------------


def _report(
    rng: random.Random,
    org: str,
    year: int,
    layouts: tuple[str, ...],
    bare: bool = False,
    style: tb.TableStyle | None = None,
    template: str | None = None,
) -> tuple[Rows, dict]:
    """A report's lines and its gold values; `style` re-renders the same report another way."""
    if template is None:
        template = "2021" if year >= 2021 else "2019" if year >= 2019 else "legacy"
        if template != "legacy" and rng.random() < 0.08:
            template = "legacy"
    gold: dict = {
        "title": None,
        "organization": None,
        "year": year,
        "report_date": None,
        "published_date": None,
        "template": template,
        "tables": {},
        "figures": {},
    }
    rows: Rows = []
    date = f"{year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"
    date_text = _date_text(rng, date)
    if not bare:
        title_rows, gold["title"] = _title(rng, org, year)
        rows += title_rows
        gold["organization"] = org
    elif rng.random() < 0.25:  # a body name standing as the heading of an untitled report
        rows.append((org, "TITLE"))
        gold["title"] = gold["organization"] = org
        if rng.random() < 0.5:
            rows.append((date_text, "SIGNATURE"))
            gold["report_date"] = date
    if rng.random() < 0.7:
        rows.append((ph.preamble(rng, org if not bare else "本机关", year), "NARRATIVE"))
    drawn = tb.TableStyle.draw(rng, layouts)  # drawn even when given: copies keep the same text
    style = style or drawn
    if template == "legacy":
        rows += _legacy_body(rng, year, style, gold)
    else:
        rows += _template_body(rng, year, template, style, gold)
    if rng.random() < 0.6 and not bare:
        rows.append((org if rng.random() < 0.7 else org[-6:], "SIGNATURE"))
        rows.append((date_text, "SIGNATURE"))
        gold["report_date"] = date
    if bare:
        gold["year"] = None if not any(str(year) in t for t, _ in rows) else year
    return rows, gold


def _title(rng: random.Random, org: str, year: int) -> tuple[Rows, str]:
    suffix = rng.choice(
        [
            "政府信息公开工作年度报告",
            "政府信息公开年度报告",
            "年度信息公开工作报告",
            "政务公开工作年度报告",
        ]
    )
    title = f"{org}{year}年{suffix}" if not suffix.startswith("年度") else f"{org}{year}{suffix}"
    if rng.random() < 0.4:
        cut = rng.choice([len(org) + 5, len(title) - 4, len(org)])
        return [(title[:cut], "TITLE"), (title[cut:], "TITLE")] * rng.choice([1, 1, 2]), title
    return [(title, "TITLE")] * rng.choice([1, 1, 2]), title


def _date_text(rng: random.Random, iso: str) -> str:
    y, m, d = iso.split("-")
    m, d = int(m), int(d)
    return rng.choice(
        [
            f"{y}年{m}月{d}日",
            f"{y}{m}月{d}日",
            f"{y}年{m}月{d}日",
            f"{y}-{m:02d}-{d:02d}",
            f"{y}年{m:02d}月{d:02d}日",
            f"{y}{m}{d}",
        ]
    )  # the last two drop characters


def _facts(rng: random.Random, year: int, gold: dict, tables: bool) -> Rows:
    """Sentences that state key figures; what they state goes into the gold."""
    rows: Rows = []
    unit = rng.choice(["局", "镇", "区", "县", "委"])
    if rng.random() < 0.6:
        n = rng.randint(1, 5000)
        rows.append(
            (
                f"{year}年，我{unit}主动公开政府信息{n}条，其中通过政府网站公开{rng.randint(0, n)}条。",
                "NARRATIVE",
            )
        )
        gold["figures"]["active_disclosed"] = n
    if not tables and rng.random() < 0.5:
        if rng.random() < 0.5:
            rows.append((f"{year}年，我{unit}未收到政府信息公开申请。", "NARRATIVE"))
            gold["figures"]["applications_received"] = 0
        else:
            n = rng.randint(1, 300)
            rows.append(
                (f"{year}年，我{unit}共受理政府信息公开申请{n}件，均已按时答复。", "NARRATIVE")
            )
            gold["figures"]["applications_received"] = n
    if not tables and rng.random() < 0.4:
        rows.append(("未发生因政府信息公开引起的行政复议和行政诉讼。", "NARRATIVE"))
        gold["figures"]["reviews"] = gold["figures"]["lawsuits"] = 0
    return rows


TEMPLATE_SECTIONS = [
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
]


def _template_body(
    rng: random.Random, year: int, template: str, style: tb.TableStyle, gold: dict
) -> Rows:
    t2, t3, t4 = (
        tb.table2_numbers(rng, template),
        tb.table3_numbers(rng, template),
        tb.table4_numbers(rng),
    )
    gold["tables"] = {"active_disclosure": t2, "applications": t3, "review_litigation": t4}
    figures = gold["figures"]
    if t3["new_received"]["total"] is not None:
        figures["applications_received"] = t3["new_received"]["total"]
    if t4["review"]["total"] is not None:
        figures["reviews"] = t4["review"]["total"]
        figures["lawsuits"] = (
            t4["litigation_direct"]["total"] + t4["litigation_after_review"]["total"]
        )
    titles = list(TEMPLATE_SECTIONS)
    if rng.random() < 0.3:
        titles[3] = "政府信息公开工作被申请行政复议、提起行政诉讼情况"
    renumber = rng.random() < 0.1  # some bodies number the tables 一/二/三 under one section
    rows: Rows = []
    for i, title in enumerate(titles):
        if renumber and i in (1, 2, 3):
            rows.append((f"（{ph.CN[i - 1]}）{title}", "HEADING"))
        else:
            rows.append(
                (
                    _md(
                        rng, style, ph.heading(rng, 0, i if not renumber or i < 2 else i - 2, title)
                    ),
                    "HEADING",
                )
            )
        if i == 0:
            rows += _facts(rng, year, gold, tables=True) + ph.prose_section(rng, year)
        elif i == 1:
            rows += tb.render_table2(rng, t2, template, style)
        elif i == 2:
            rows += tb.render_table3(rng, t3, style)
        elif i == 3:
            rows += tb.render_table4(rng, t4, style)
        else:
            rows += ph.prose_section(rng, year)
    return rows


def _legacy_body(rng: random.Random, year: int, style: tb.TableStyle, gold: dict) -> Rows:
    titles = [
        "概述",
        "主动公开政府信息情况",
        "依申请公开政府信息情况",
        "政府信息公开的收费及减免情况",
        "因政府信息公开申请行政复议、提起行政诉讼的情况",
        "存在的主要问题和改进措施",
    ]
    rows: Rows = []
    for i, title in enumerate(titles[: rng.randint(3, 6)]):
        rows.append((_md(rng, style, ph.heading(rng, 0, i, title)), "HEADING"))
        if i == 1:
            rows += _facts(rng, year, gold, tables=False)
        rows += ph.prose_section(rng, year)
    if rng.random() < 0.4:
        rows.append((ph.heading(rng, 0, len(titles), "附表"), "HEADING"))
        rows += _appendix(rng, style)
    elif rng.random() < 0.3:
        rows.append(
            (
                f"附件：{gold['organization'] or '本机关'}{year}年政府信息公开工作情况统计表",
                "CAPTION",
            )
        )
    return rows


def _appendix(rng: random.Random, style: tb.TableStyle) -> Rows:
    out: Rows = []
    tables = [
        (
            "主动公开情况",
            [
                ("主动公开信息数", "条"),
                ("其中：全文电子化的主动公开信息数", "条"),
                ("行政许可事项公开数", "项"),
            ],
        ),
        ("依申请公开情况", [("申请总数", "件"), ("已答复数", "件")]),
        (
            "政务公开咨询情况",
            [("网上咨询数", "人次"), ("现场接待人数", "人次"), ("咨询电话接听数", "人次")],
        ),
    ]
    chosen = rng.sample(tables, rng.randint(1, 3))
    for k, (caption, rows) in enumerate(chosen):
        if rng.random() < 0.2:
            out.append((f"（{ph.CN[k]}）{caption}（无）", "CAPTION"))
            continue
        out.append((f"（{ph.CN[k]}）{caption}", "CAPTION"))
        cells = [(label, [unit, str(rng.randint(0, 2000))]) for label, unit in rows]
        out += tb.render(rng, style, [["内容", "单位", "数量"]], cells)
    k = len(chosen)
    if rng.random() < 0.4:  # the directory table: words and dates as values
        out.append((f"（{ph.CN[k]}）政务公开目录和指南专栏设置情况", "CAPTION"))
        out += tb.render(
            rng,
            style,
            [["内容", "编制情况", "总条数"]],
            [
                (
                    "政务公开目录",
                    [rng.choice(["完整", "较完整", "已编制"]), str(rng.randint(1, 900))],
                ),
                (
                    "政务公开指南最后更新年月",
                    [f"{rng.randint(2008, 2018)}年{rng.randint(1, 12)}月"],
                ),
            ],
        )
        k += 1
    if rng.random() < 0.4:  # the staff table: names, posts and telephone numbers as values
        out.append((f"（{ph.CN[k]}）政务公开工作机构设置情况", "CAPTION"))
        out += tb.render(
            rng,
            style,
            [["内容", "姓名", "职务", "办公电话", "移动电话"]],
            [
                (
                    role,
                    [
                        ph.person(rng),
                        rng.choice(["党委委员", "副镇长", "办公室主任", "党政办文书", "科员"]),
                        str(rng.randint(10**7, 10**8 - 1)),
                        "1" + str(rng.randint(10**9, 10**10 - 1)),
                    ],
                )
                for role in ("单位分管领导", "工作人员")
            ],
        )
    return out


def _md(rng: random.Random, style: tb.TableStyle, heading: str) -> str:
    """PDF-to-markdown converters put `#` marks before headings."""
    if style.layout == "pdf" and rng.random() < 0.3:
        return rng.choice(["# ", "## ", "### "]) + heading
    return heading


# --- page layout ------------------------------------------------------------------------------


def _lay_out(rng: random.Random, page: GeneratedPage) -> GeneratedPage:
    """Blank lines and indentation of sites, wraps and page numbers of PDF text, or HTML."""
    pdf_like = rng.random() < 0.25
    page.html = not pdf_like and rng.random() < 0.25
    blank_between = not pdf_like and not page.html and rng.random() < 0.4
    indent = "" if page.html else rng.choice(["", "", "    ", "\u3000\u3000"])
    rows: Rows = []
    since_page, page_no = 0, 1
    for text, label in page.rows:
        pieces = [text]
        if pdf_like and label in ("NARRATIVE", "HEADING", "TITLE", "CAPTION") and len(text) > 30:
            width = rng.randint(24, 34)
            pieces = [text[k : k + width] for k in range(0, len(text), width)]
        for piece in pieces:
            if label in ("TABLE_LABEL", "TABLE_ROW"):
                piece = _drop_character(rng, piece)
            rows.append((indent + _noise(rng, piece), label))
            if blank_between:
                rows.append(("", None))
            since_page += 1
            if pdf_like and since_page > rng.randint(28, 45):  # a page break, wherever it falls
                number = rng.choice([f"- {page_no} -", f"— {page_no} —", f"{page_no}"])
                rows.append((number, "NOISE"))
                page_no, since_page = page_no + 1, 0
    page.rows = rows
    return page


def _noise(rng: random.Random, text: str) -> str:
    """Stray spaces, swapped bracket widths and dropped characters, as scraped pages have them."""
    if rng.random() < 0.04 and len(text) > 6 and "\t" not in text:
        k = rng.randint(1, len(text) - 1)
        text = text[:k] + " " + text[k:]
    if rng.random() < 0.3:
        text = text.replace("（", "(").replace("）", ")")
    return text


def _drop_character(rng: random.Random, text: str) -> str:
    """A character lost from a long row label (`其他法律行政止公开`); values stay whole."""
    head = text.split()[0] if text.split() else ""
    if rng.random() < 0.04 and len(head) >= 8 and all("\u4e00" <= c <= "\u9fff" for c in head[-4:]):
        k = rng.randint(3, len(head) - 2)
        return text.replace(head, head[:k] + head[k + 1 :], 1)
    return text


def to_html(page: GeneratedPage) -> str:
    """The page as a site serves it: paragraphs as <p>, rows with tab-separated cells as <tr>."""
    parts, in_table = [], False
    for text, _ in page.rows:
        if not text.strip():
            continue
        if "\t" in text:
            if not in_table:
                parts.append("<table>")
                in_table = True
            cells = "".join(
                f"<td>{html.escape(c.strip())}</td>" for c in text.strip(" ").split("\t")
            )
            parts.append(f"<tr>{cells}</tr>")
            continue
        if in_table:
            parts.append("</table>")
            in_table = False
        parts.append(f"<p>{html.escape(text.strip())}</p>")
    if in_table:
        parts.append("</table>")
    return (
        '<html><head><meta charset="utf-8"></head><body>\n' + "\n".join(parts) + "\n</body></html>"
    )


def page_text(page: GeneratedPage) -> str:
    """The source text the pipeline sees: the page's text, or what the reader makes of its HTML."""
    if page.html:
        return read_bytes(to_html(page).encode("utf-8"), suffix=".html").text
    return ("" if page.collapsed else "\n").join(t for t, _ in page.rows)


def _collapsed_labels(page: GeneratedPage, lines) -> list[str | None]:
    """Gold labels of the pieces the reader cut: the label of the row most of a piece came from."""
    starts, position = [], 0
    for text, _ in page.rows:
        starts.append(position)
        position += len(text)
    labels = []
    for line in lines:
        a, b = line.span if line.span else (0, position)
        cover: dict[str | None, int] = {}
        for (text, label), start in zip(page.rows, starts, strict=True):
            overlap = min(b, start + len(text)) - max(a, start)
            if overlap > 0:
                cover[label] = cover.get(label, 0) + overlap
        labels.append(max(cover, key=cover.get) if cover else "NOISE")
    return labels


def to_document(page: GeneratedPage) -> AnnotatedDocument:
    lines = split_lines(page_text(page))
    if page.collapsed:
        labels = _collapsed_labels(page, lines)
    else:
        labels = [label for text, label in page.rows if text.strip()]
        if len(labels) != len(lines):  # never silently misalign gold labels
            raise ValueError(f"{page.doc_id}: {len(lines)} lines but {len(labels)} labels")
    keep = [i for i, label in enumerate(labels) if label is not None]
    return AnnotatedDocument(
        doc_id=page.doc_id,
        source=f"{page.doc_id}.txt",
        lines=[lines[i] for i in keep],
        labels=[labels[i] for i in keep],
    )
