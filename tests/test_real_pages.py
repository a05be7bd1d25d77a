"""Real pages of every kind come out right: one report, the right body, template, dates,
figures and every cell. Each test names the kind of page it stands for; the real corpus
pages are read from ../shared/corpus (the portal's archived pages: an archiver's header,
then the whole body on one line), other kinds from pages written here."""

from __future__ import annotations

import json
import random

import pytest
from conftest import CORPUS, run_nianbao
from nianbao.model.assembler import assemble
from nianbao.model.assembler.figures import figures
from nianbao.model.assembler.metadata import body_name
from nianbao.model.lines import Line, TaggedLine
from nianbao.training.synthetic import generate_page, page_text


@pytest.fixture(scope="module")
def corpus() -> dict[str, dict]:
    """Every corpus page and HTML rendering extracted once by the real command."""
    result = run_nianbao(
        "extract",
        *map(str, sorted(CORPUS.rglob("*.txt"))),
        *map(str, sorted(CORPUS.rglob("*.html"))),
    )
    assert result.returncode == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    return {doc["source"]["path"].rsplit("/", 1)[-1]: doc for doc in docs}


def _report(corpus: dict[str, dict], name: str) -> dict:
    (report,) = corpus[name]["reports"]
    return report


def _tagged(rows: list[tuple[str, str]]) -> list[TaggedLine]:
    return [
        TaggedLine(Line(no=i, text=text, raw=text), label, 1.0)
        for i, (text, label) in enumerate(rows, start=1)
    ]


# --- 1. one report, not two ------------------------------------------------------------------


def test_an_archivers_header_block_lends_its_fields_and_is_no_report_of_its_own(corpus):
    """标题/发布时间/发布机构/栏目/原文链接 above the body: one report, dated by 发布时间."""
    r = _report(corpus, "004_pt-scj_2021.txt")
    assert r["title"] == "平潭综合实验区市场监督管理局2021年度政府信息公开工作年度报告"
    assert r["published_date"] == "2022-01-07" and r["report_date"] == "2022-01-07"
    assert all(len(corpus[n]["reports"]) == 1 for n in corpus if not n.startswith("N0"))


def test_a_report_without_a_title_of_its_own_takes_the_headers(corpus):
    r = _report(corpus, "016_pt-gaj_2024.txt")
    assert r["title"] == "平潭综合实验区公安局2024年政府信息公开工作年度报告"


def test_a_report_named_in_the_prose_starts_no_new_report():
    """`下发了《关于做好…年度报告…的通知》` tagged as a title mid-report: the numbering goes on."""
    rows = [
        ("某某县财政局2022年政府信息公开工作年度报告", "TITLE"),
        ("一、总体情况", "HEADING"),
        ("2022年，我局主动公开政府信息120条。", "NARRATIVE"),
        ("根据县政府办公室下发的", "NARRATIVE"),
        ("关于做好2022年度政府信息公开工作年度报告编制工作的通知", "TITLE"),
        ("要求，现将有关情况报告如下。", "NARRATIVE"),
        ("二、主动公开政府信息情况", "HEADING"),
        ("全年主动公开政府信息120条。", "NARRATIVE"),
        ("三、收到和处理政府信息公开申请情况", "HEADING"),
        ("本年度未收到政府信息公开申请。", "NARRATIVE"),
    ]
    reports, _ = assemble(_tagged(rows))
    (report,) = reports
    assert report["title"] == "某某县财政局2022年政府信息公开工作年度报告"
    assert [s["key"] for s in report["sections"]] == [
        "overview",
        "active_disclosure",
        "applications",
    ]


def test_tables_printed_after_the_narrative_belong_to_the_report():
    """并附相关指标统计表: 一、二、三 again, tables only, no title — the same report's tables."""
    narrative = [
        ("某某镇人民政府2023年政府信息公开工作年度报告", "TITLE"),
        ("一、总体情况", "HEADING"),
        ("2023年，我镇主动公开政府信息80条。", "NARRATIVE"),
        ("二、存在的主要问题及改进情况", "HEADING"),
        ("一是公开形式有待丰富。", "NARRATIVE"),
        ("三、其他需要报告的事项", "HEADING"),
        ("本年度未收取信息处理费，并附相关指标统计表。", "NARRATIVE"),
    ]
    appendix = [
        ("一、收到和处理政府信息公开申请情况", "HEADING"),
        ("申请人情况 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计", "TABLE_HEADER"),
        ("一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3", "TABLE_ROW"),
        ("二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0", "TABLE_ROW"),
        ("（一）予以公开 3 0 0 0 0 0 3", "TABLE_ROW"),
        ("（七）总计 3 0 0 0 0 0 3", "TABLE_ROW"),
        ("四、结转下年度继续办理 0 0 0 0 0 0 0", "TABLE_ROW"),
    ]
    reports, _ = assemble(_tagged(narrative + appendix))
    (report,) = reports
    assert report["tables"]["applications"]["new_received"]["total"] == 3
    assert report["figures"]["applications_received"] == 3


def test_a_cover_letter_in_front_of_the_report_is_no_report():
    rows = [
        ("关于报送某某县教育局2022年政府信息公开工作年度报告的函", "TITLE"),
        ("县政府办公室：", "NARRATIVE"),
        ("现将我局2022年政府信息公开工作年度报告报送你们，请审阅。", "NARRATIVE"),
        ("特此函告。", "NARRATIVE"),
        ("某某县教育局2022年政府信息公开工作年度报告", "TITLE"),
        ("一、总体情况", "HEADING"),
        ("2022年，我局主动公开政府信息60条。", "NARRATIVE"),
        ("二、主动公开政府信息情况", "HEADING"),
        ("全年主动公开政府信息60条。", "NARRATIVE"),
        ("三、收到和处理政府信息公开申请情况", "HEADING"),
        ("本年度未收到政府信息公开申请。", "NARRATIVE"),
    ]
    reports, warnings = assemble(_tagged(rows))
    (report,) = reports
    assert report["title"] == "某某县教育局2022年政府信息公开工作年度报告"
    assert report["organization"] == "某某县教育局"


# --- 2. the organization is a body ------------------------------------------------------------


def test_the_organization_is_a_body_not_a_label_chrome_or_sub_office(corpus):
    # 发布机构 empty, then 栏目: a field label is no body
    assert _report(corpus, "015_pt-czj_2022.txt")["organization"] == "平潭综合实验区财政金融局"
    # the title glued to the share bar (`…相关链接：平潭综合实验区经济发展局2018年…`)
    assert _report(corpus, "010_pt-jjf_2018.txt")["organization"] == "平潭综合实验区经济发展局"
    # 发布机构: 办公室 only posted it
    assert _report(corpus, "012_pt-zhz_2022.txt")["organization"] == (
        "平潭综合实验区综合执法与应急管理局"
    )
    # the breadcrumb names today's 财政金融局; the 2009 report is the 财政局's
    assert _report(corpus, "001_pt-czj_2009.txt")["organization"] == "平潭县财政局"


def test_a_year_glued_to_a_body_or_chrome_around_it_is_stripped():
    assert body_name("2019年上海市人民政府办公厅") == "上海市人民政府办公厅"
    assert body_name("2024年上海市科委") == "上海市科委"
    assert body_name("栏目:") is None
    assert (
        body_name("微信微博QQ空间全真版文字版文件下载相关链接：-->平潭综合实验区")
        == "平潭综合实验区"
    )
    assert body_name("平潭综合实验区市场监督管理局 2022年1月7日") == "平潭综合实验区市场监督管理局"
    assert body_name("办公室") is None


# --- 3. dates ---------------------------------------------------------------------------------


def test_dates_in_signatures_written_in_chinese_numerals_and_in_headers(corpus):
    r = _report(corpus, "001_pt-czj_2009.txt")
    assert (r["report_date"], r["published_date"]) == ("2010-04-10", "2010-05-12")
    assert _report(corpus, "022_pt-hbj_2010.txt")["report_date"] == "2011-01-20"  # 元月二十日
    r = _report(corpus, "004_pt-scj_2021.html")  # 时间：2022-01-07 17:53 in the page
    assert r["published_date"] == "2022-01-07"


# --- 4. legacy reports with an indicator 附表 --------------------------------------------------


def test_a_legacy_report_with_an_indicator_table_is_legacy_and_its_table_gives_figures(corpus):
    r = _report(corpus, "025_pt-hgtj_2016.txt")
    assert (r["template"], r["tables"]) == ("legacy", {})
    assert r["figures"]["active_disclosed"] == 583  # this year's column, not 历年累计 1294
    assert r["figures"]["applications_received"] == 9
    assert r["figures"]["reviews"] == 0 and r["figures"]["lawsuits"] == 0
    r = _report(corpus, "001_pt-czj_2009.txt")  # row labels in pieces: 行政复议 / 数 件 / 0
    assert r["template"] == "legacy" and r["figures"]["reviews"] == 0
    assert "appendix" in [s["key"] for s in r["sections"]]


# --- 5. pages that are not reports ------------------------------------------------------------


@pytest.mark.parametrize(
    "name, kind",
    [
        ("N01_pt-gwbgs_guide.txt", "disclosure guide"),
        ("N02_pt-czj_2017_selfcheck.txt", "self-check"),
    ],
)
def test_a_page_that_is_another_document_gets_no_report_and_says_what_it_is(corpus, name, kind):
    doc = corpus[name]
    assert doc["reports"] == []
    (reason,) = doc["warnings"]
    assert kind in reason


def test_a_work_summary_is_no_report_but_a_disclosure_summary_is(corpus):
    assert (
        _report(corpus, "007_pt-wsj_2013.txt")["title"]
        == "平潭县卫生局2013年度政府信息公开情况总结"
    )
    rows = [
        ("某某县农业农村局2022年工作总结", "TITLE"),
        ("一、主要工作", "HEADING"),
        ("全年主动公开政府信息30条，受理政府信息公开申请2件。", "NARRATIVE"),
        ("二、存在的问题", "HEADING"),
        ("一是宣传不够。", "NARRATIVE"),
        ("三、下一步工作打算", "HEADING"),
        ("继续做好各项工作。", "NARRATIVE"),
    ]
    reports, warnings = assemble(_tagged(rows))
    assert reports == [] and "work summary" in warnings[0]


def test_a_menu_entry_naming_a_guide_does_not_make_a_report_page_a_guide():
    """Portal menus list `政府信息公开指南` above every page; a report under them is kept."""
    rows = [
        ("政府信息公开指南", "NOISE"),
        ("政府信息公开年报", "NOISE"),
        ("一、概述", "HEADING"),
        ("2012年，我局共主动公开政府信息26条。", "NARRATIVE"),
        ("二、依申请公开政府信息情况", "HEADING"),
        ("2012年度，我局没有收到信息公开申请。", "NARRATIVE"),
        ("三、收费及减免情况", "HEADING"),
        ("无收费及减免情况。", "NARRATIVE"),
    ]
    reports, _ = assemble(_tagged(rows))
    (report,) = reports
    assert report["figures"]["active_disclosed"] == 26


# --- 6. key figures ---------------------------------------------------------------------------


def test_fees_collected_are_the_disclosure_fees_not_table_2(corpus):
    r = _report(corpus, "015_pt-czj_2022.txt")
    assert r["tables"]["active_disclosure"]["fees"] == {"amount": 9116.36}  # administrative fees
    assert r["figures"]["fees_collected"] == 0  # 2022年，无收取信息处理费情况。
    assert r["figures"]["active_disclosed"] == 123
    r = _report(corpus, "012_pt-zhz_2022.txt")
    assert r["figures"]["active_disclosed"] == 253  # 其中主动公开253份
    assert r["figures"]["applications_received"] == 0  # the table's 0 over the prose's 409份


def test_a_table_beats_the_prose_and_a_warning_names_both():
    tables = {"applications": {"new_received": {"total": 3}}}
    prose = [(7, "2022年，我局共受理政府信息公开申请5件。"), (9, "本年度未收取信息处理费。")]
    found = figures(tables, prose, [])
    assert found.values == {"applications_received": 3, "fees_collected": 0}
    assert found.lines == {"fees_collected": 9}
    (warning,) = found.warnings
    assert "table 3 says 3" in warning and "the prose says 5" in warning


# --- 7. glued digit runs ----------------------------------------------------------------------


def test_glued_runs_are_read_with_every_identity_and_spaces_as_weak_evidence(corpus):
    t3 = _report(corpus, "009_pt-jtj_2023.txt")["tables"]["applications"]
    assert list(t3["new_received"].values()) == [14, 0, 0, 0, 0, 0, 14]  # `1400000 14`
    t3 = _report(corpus, "015_pt-czj_2022.txt")["tables"]["applications"]
    assert list(t3["partially_granted"].values()) == [1, 0, 0, 0, 0, 0, 1]  # `1 0 0 0 0 01`
    r = _report(corpus, "004_pt-scj_2021.txt")  # `6045`: only 6/0/45 keeps 现行有效 >= 制发 - 废止
    assert r["tables"]["active_disclosure"]["normative_documents"] == {
        "issued": 6,
        "repealed": 0,
        "in_force": 45,
    }
    assert r["tables"]["review_litigation"]["review"]["total"] == 0  # fifteen zeros glued


def test_the_reports_prose_pins_a_table_2_reading_and_the_warning_says_so(corpus):
    r = _report(corpus, "021_pt-zhz_2019.txt")  # 行政处罚 `11910305`, prose: 作出行政处罚决定305起
    assert r["tables"]["active_disclosure"]["penalty"] == {
        "previous_count": None,
        "change": None,
        "decisions": 305,
    }
    assert any("prose states" in w and "305" in w for w in r["warnings"])


def test_a_row_the_report_itself_gets_wrong_is_read_as_printed_and_fails_its_check(corpus):
    """`本机关不掌握相关政府信息30000252`: the row's cells 3 0 0 0 0 2 5 (the last 2 numbers
    the next row), while the report's totals are 0: read as printed, the check says so."""
    r = _report(corpus, "014_pt-jspq_2022.txt")
    row = r["tables"]["applications"]["unavailable_not_held"]
    assert list(row.values()) == [3, 0, 0, 0, 0, 2, 5]
    failed = {c["name"]: c["detail"] for c in r["checks"] if not c["ok"]}
    assert failed["applications.results_sum.total"] == "result rows add up to 5; total 0"


# --- 8. PDF-converted markdown ----------------------------------------------------------------


def test_pdf_converted_markdown_with_broken_headers_footers_and_split_rows(tmp_path):
    """Pipe tables (never trained on) whose header rows are broken over several rows, a page
    footer `— 4 —` inside table 3 and a row's label and values on different rows."""
    page = generate_page(random.Random(11), "pipe-11", layouts=("pipe",), template="2021")
    out = []
    for line in page_text(page).split("\n"):
        if line.startswith("| 5.属于三类内部事务信息"):
            out += ["", "— 4 —", ""]
        if line.startswith("| （二）部分公开"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            out.append("| （二）部分公开 |" + " |" * (len(cells) - 1))
            out.append(
                "| （区分处理的，只计这一情形，不计其他情形） | " + " | ".join(cells[1:]) + " |"
            )
            continue
        if line.startswith("| 商业企业 | 科研机构"):
            out += ["| 商业企业 | 科研机构 |", "| 社会公益组织 | 法律服务机构 | 其他 |"]
            continue
        out.append(line)
    path = tmp_path / "converted.md"
    path.write_text("\n".join(out), encoding="utf-8")
    (report,) = json.loads(run_nianbao("extract", str(path)).stdout)["reports"]
    (gold,) = page.gold
    assert report["tables"] == gold["tables"]
    assert (report["year"], report["template"]) == (gold["year"], "2021")
    labels = [json.loads(x) for x in run_nianbao("label", str(path)).stdout.splitlines()]
    assert [r["label"] for r in labels if r["text"] == "— 4 —"] == ["NOISE"]


# --- 9. two renderings, one report -------------------------------------------------------------


@pytest.mark.parametrize("stem", ["004_pt-scj_2021", "015_pt-czj_2022", "021_pt-zhz_2019"])
def test_the_html_page_and_its_text_give_the_same_report(corpus, stem):
    text, html = _report(corpus, f"{stem}.txt"), _report(corpus, f"{stem}.html")
    for field in ("title", "organization", "year", "template", "report_date", "published_date"):
        assert text[field] == html[field], field
    assert text["figures"] == html["figures"]
    assert [s["key"] for s in text["sections"]] == [s["key"] for s in html["sections"]]

    def cells(tables, prefix=()):
        for key, value in tables.items():
            if isinstance(value, dict):
                yield from cells(value, (*prefix, key))
            else:
                yield (*prefix, key), value

    html_cells = dict(cells(html["tables"]))
    for path, value in cells(text["tables"]):
        if value is not None:  # a glued run the text cannot decide stays null, with a warning
            assert html_cells[path] == value, path
    undecided = [p for p, v in cells(text["tables"]) if v is None and html_cells.get(p) is not None]
    for path in undecided:
        assert any(".".join(path[:2]) in w for w in text["warnings"]), path
