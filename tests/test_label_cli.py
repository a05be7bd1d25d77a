"""`nianbao label`: the real command on real pages, in every encoding and as HTML."""

from __future__ import annotations

import html
import json
import re

from conftest import run_nianbao
from nianbao.model.lines import LABELS, split_lines


def _records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_label_prints_one_record_per_non_blank_line_of_each_seed(seeds):
    result = run_nianbao("label", *map(str, seeds))
    assert result.returncode == 0, result.stderr
    records = _records(result.stdout)
    for seed in seeds:
        lines = split_lines(seed.read_text(encoding="utf-8"))
        mine = [r for r in records if r["source"] == str(seed)]
        assert [(r["line"], r["text"]) for r in mine] == [(line.no, line.text) for line in lines]
    assert all(r["label"] in LABELS and 0.0 < r["confidence"] <= 1.0 for r in records)


def test_label_reads_what_a_user_expects_on_a_page_it_never_saw(tmp_path):
    """An HTML page written here, not in the training data: the lines a reader would check."""
    page = """<html><head><meta charset="gbk"><script>var a = 1;</script></head><body>
    <div>您现在所在的位置：首页 &gt; 政务公开 &gt; 年度报告</div>
    <div>发布时间：2022-01-25 索引号：11430000/2022-00012</div>
    <h2>青石镇人民政府2021年政府信息公开工作年度报告</h2>
    <p>一、总体情况</p>
    <p>2021年，青石镇认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息356条，进一步提升了政府透明度。</p>
    <p>二、主动公开政府信息情况</p>
    <table>
    <tr><td colspan="4">第二十条第（一）项</td></tr>
    <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
    <tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
    <tr><td>行政规范性文件</td><td>2</td><td>1</td><td>9</td></tr>
    </table>
    <p>五、存在的主要问题及改进情况</p>
    <p>一是公开内容不够全面；二是政策解读形式单一。</p>
    <p>打印</p><p>关闭窗口</p>
    </body></html>"""
    path = tmp_path / "qingshi.html"
    path.write_bytes(page.encode("gbk"))
    result = run_nianbao("label", str(path))
    assert result.returncode == 0, result.stderr
    labels = {r["text"]: r["label"] for r in _records(result.stdout)}
    assert labels["您现在所在的位置：首页 > 政务公开 > 年度报告"] == "NOISE"
    assert labels["青石镇人民政府2021年政府信息公开工作年度报告"] == "TITLE"
    assert labels["一、总体情况"] == "HEADING"
    assert labels["二、主动公开政府信息情况"] == "HEADING"
    assert labels["第二十条第（一）项"] == "TABLE_HEADER"
    assert labels["信息内容\t本年制发件数\t本年废止件数\t现行有效件数"] == "TABLE_HEADER"
    assert labels["规章\t0\t0\t0"] == "TABLE_ROW"
    assert labels["行政规范性文件\t2\t1\t9"] == "TABLE_ROW"
    assert labels["一是公开内容不够全面；二是政策解读形式单一。"] == "NARRATIVE"
    assert labels["打印"] == "NOISE"


def _as_html(lines) -> str:
    """The page as a site would serve it: one <p> per line, rows with blank cells as <tr>."""
    blocks = []
    for line in lines:
        if line.raw != line.raw.rstrip():
            cells = "".join("<td></td>" for _ in range(7))
            blocks.append(f"<table><tr><td>{html.escape(line.text)}</td>{cells}</tr></table>")
        else:
            blocks.append(f"<p>{html.escape(line.text)}</p>")
    return (
        '<html><head><meta charset="gb18030"></head><body>' + "\n".join(blocks) + "</body></html>"
    )


def test_same_page_as_gb18030_utf8_bom_and_html_gets_the_same_labels(seeds, tmp_path):
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        variants = {
            "gb18030.txt": text.encode("gb18030"),
            "bom.txt": text.encode("utf-8-sig"),
            "page.html": _as_html(split_lines(text)).encode("gb18030"),
        }
        for name, raw in variants.items():
            (tmp_path / f"{seed.stem}.{name}").write_bytes(raw)
        result = run_nianbao(
            "label", str(seed), *(str(tmp_path / f"{seed.stem}.{n}") for n in variants)
        )
        assert result.returncode == 0, result.stderr
        by_source: dict[str, list[tuple[str, str]]] = {}
        for r in _records(result.stdout):
            text_seen = re.sub(r"[ \t\xa0\u3000]+", " ", r["text"])
            by_source.setdefault(r["source"], []).append((text_seen, r["label"]))
        reference = by_source.pop(str(seed))
        assert len(by_source) == 3
        for source, labelled in by_source.items():
            assert labelled == reference, source


def test_a_misspelt_path_is_a_one_line_usage_error(tmp_path):
    result = run_nianbao("label", str(tmp_path / "no-such-report.txt"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"nianbao: error: no such file or directory: {tmp_path / 'no-such-report.txt'}"
    ]


def test_an_unknown_option_is_a_one_line_usage_error():
    result = run_nianbao("label", "--frobnicate", "x")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_an_unreadable_file_gets_its_error_record_and_the_run_goes_on(seeds, tmp_path):
    junk = tmp_path / "download.html"
    junk.write_bytes(b"\x00\x01\x02PK\x03\x04" + bytes(range(256)) * 10)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "labels.jsonl"
    result = run_nianbao("label", str(junk), str(seeds[3]), str(empty), "-o", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "2 of 3 documents could not be read" in result.stderr
    records = _records(out.read_text(encoding="utf-8"))
    errors = {r["source"]["path"]: r for r in records if "error" in r}
    assert {path: r["error"] for path, r in errors.items()} == {
        str(junk): "the file is binary, not text or HTML",
        str(empty): "the file is empty",
    }
    # the same error record `extract` writes: the document, its hash, no reports
    assert errors[str(junk)]["reports"] == [] and len(errors[str(junk)]["source"]["sha256"]) == 64
    extracted = json.loads(run_nianbao("extract", str(junk)).stdout)
    assert (
        set(extracted) == set(errors[str(junk)])
        and extracted["error"] == errors[str(junk)]["error"]
    )
    good = [r for r in records if r["source"] == str(seeds[3])]
    assert len(good) == len(split_lines(seeds[3].read_text(encoding="utf-8")))


def test_folders_and_globs_expand_to_the_documents_inside(seeds, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_bytes(seeds[3].read_bytes())
    (tmp_path / "b.htm").write_bytes(b"<p>\xe4\xb8\x80\xe3\x80\x81\xe6\xa6\x82\xe8\xbf\xb0</p>")
    (tmp_path / "notes.pdf.part").write_bytes(b"ignored: not a document suffix")
    result = run_nianbao("label", str(tmp_path), str(tmp_path / "*.htm"))
    assert result.returncode == 0, result.stderr
    sources = {r["source"] for r in _records(result.stdout)}
    assert sources == {str(tmp_path / "sub" / "a.txt"), str(tmp_path / "b.htm")}
