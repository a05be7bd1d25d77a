"""Reading: every encoding Chinese government sites use, HTML to lines, line numbering."""

from __future__ import annotations

import codecs

import pytest
from nianbao.model.lines import split_lines
from nianbao.model.read import ReadError, decode_bytes, read_bytes, read_document

SIMPLIFIED = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0\n"
TRADITIONAL = "臺北市政府資訊公開年度報告\n一、概述\n本府依據政府資訊公開法辦理資訊公開業務，民眾申請件數為十二件。\n"


@pytest.mark.parametrize(
    "encoding, expected_codec",
    [("utf-8", "utf-8"), ("gb2312", "gb18030"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_simplified_chinese_encodings_are_detected(encoding, expected_codec):
    text, codec = decode_bytes(SIMPLIFIED.encode(encoding))
    assert text == SIMPLIFIED
    assert codec == expected_codec


def test_big5_is_detected():
    text, codec = decode_bytes(TRADITIONAL.encode("big5"))
    assert (text, codec) == (TRADITIONAL, "big5")


@pytest.mark.parametrize(
    "raw",
    [codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), SIMPLIFIED.encode("utf-16")],
    ids=["utf-8 with BOM", "utf-16 with BOM"],
)
def test_byte_order_marks_are_honoured(raw):
    text, _ = decode_bytes(raw)
    assert text == SIMPLIFIED


def test_a_seed_reads_the_same_in_every_encoding(seeds):
    original = seeds[1].read_text(encoding="utf-8")
    for encoding in ("gb18030", "utf-8-sig", "utf-16"):
        doc = read_bytes(original.encode(encoding), suffix=".txt")
        assert doc.text == original, encoding


def test_lines_are_numbered_over_all_lines_and_every_line_break():
    lines = split_lines("标题\r\n\r\n  一、概述  \r正文\n\n\t\n末行")
    assert [(line.no, line.text) for line in lines] == [
        (1, "标题"),
        (3, "一、概述"),
        (4, "正文"),
        (7, "末行"),
    ]


def test_trailing_blank_cells_survive_in_raw():
    (line,) = split_lines("(七)总计              ")
    assert line.text == "(七)总计" and line.raw.endswith("    ")


PAGE = """<!DOCTYPE html><html><head><meta charset="gbk"><title>页面标题</title>
<style>.a{color:red}</style><script>var secret = "不应出现";</script></head>
<body><nav><a href="/">首页</a> &gt; <a>政务公开</a></nav>
<div class="main"><h1>某某镇2021年政府信息公开工作年度报告</h1>
<p>一、总体情况</p><p>本镇高度重视
政务公开工作。</p>
<table><tr><th>信息内容</th><th>本年制发件数</th><th>本年废止件数</th><th>现行有效件数</th></tr>
<tr><td>规章</td><td>0</td><td></td><td>3</td></tr>
<tr><td>行政规范性文件</td><td>1</td><td>0</td><td>5</td></tr></table>
<div style="display:none">隐藏的分享代码</div><select><option>选项</option></select>
<p>二、主动公开政府信息情况<br>第二行</p></div></body></html>"""


def test_html_becomes_one_block_or_table_row_per_line():
    doc = read_bytes(PAGE.encode("gbk"), suffix=".html")
    assert doc.format == "html" and doc.encoding == "gb18030"
    assert doc.text.split("\n") == [
        "某某镇2021年政府信息公开工作年度报告",
        "一、总体情况",
        "本镇高度重视政务公开工作。",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "规章\t0\t\t3",
        "行政规范性文件\t1\t0\t5",
        "二、主动公开政府信息情况",
        "第二行",
    ]


def test_html_is_recognised_without_a_suffix():
    doc = read_bytes(PAGE.encode("utf-8"), suffix="")
    assert doc.format == "html" and "var secret" not in doc.text


def test_layout_tables_are_read_as_blocks():
    page = "<table><tr><td><table><tr><td>名称</td><td>值</td></tr></table><p>正文段落</p></td></tr></table>"
    assert read_bytes(page.encode(), suffix=".html").text.split("\n") == ["名称\t值", "正文段落"]


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20, "binary"),
    ],
)
def test_unreadable_bytes_get_a_one_sentence_error(raw, message):
    with pytest.raises(ReadError, match=message) as info:
        read_bytes(raw, suffix=".txt")
    assert "\n" not in str(info.value)


def test_a_missing_file_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="cannot read"):
        read_document(tmp_path / "nope.txt")
