"""Re-segmentation: a page saved with its line breaks lost, cut back into the lines it had.

Some scrapers keep a page's text with no separators, so a whole report arrives as one
line of thousands of characters. Such a line is cut at sentence ends, at section markers
(`二、主动公开...`), at the 第二十条 item banners, around the template's table words, and
around the digit runs between them, so the labeller sees lines like those of any other
page. Only lines that are long AND hold report structure are cut: a long paragraph of
prose stays one line.
"""

from __future__ import annotations

import re

from nianbao.model import templates
from nianbao.model.vocabulary import TABLE_HEADER_WORDS, TABLE_ROW_WORDS

MIN_LENGTH = 300  # a line shorter than this is never cut

_SECTION = re.compile(
    r"[一二三四五六七八九十]{1,2}、(?=[^，,。]{0,20}(?:情况|概述|问题|事项|打算|附表|工作))"
)
_SECTION_HEADING = re.compile(
    r"[一二三四五六七八九十]{1,2}、[^，,。；;：:]{0,24}?(?:情况|概述|事项|措施|打算|计划|附表)"
)
_BANNER = templates.ARTICLE_ITEM
_SENTENCE_END = re.compile(r"[。！？!?]")


def _numbered_rows() -> re.Pattern[str]:
    """Table 3's numbered row labels (`一、本年新收…`, `（三）不予公开`, `1.属于国家秘密`):
    each numbering style followed by the first words of a row numbered that way."""
    starts: dict[str, set[str]] = {"top": set(), "paren": set()}
    for row in templates.T3_ROWS.values():
        if row.numbering and not row.numbering.isdigit():
            starts["paren" if row.numbering.startswith("(") else "top"].add(row.words[:4])
    # sub-rows are numbered 1-8: a digit before that is a glued value (`00000005.属于…`)
    width = max(len(r.numbering) for r in templates.T3_ROWS.values() if r.numbering.isdigit())
    kinds = (
        (templates.TOP_NUMBERING, starts["top"]),
        (templates.PAREN_NUMBERING, starts["paren"]),
        (rf"\d{{{width}}}[.．、]", set(templates.T3_SUBROW_STARTS)),
    )
    return re.compile(
        "|".join(
            numbering + "(?=" + "|".join(sorted(words, key=len, reverse=True)) + ")"
            for numbering, words in kinds
        )
    )


_NUMBERED_ROW = _numbered_rows()
_CAPTION = re.compile(r"[（(]本列数据的勾稽关系为[^）)]*[）)]")
_WORDS = sorted(
    {*TABLE_HEADER_WORDS, *TABLE_ROW_WORDS} - {"其他", "总计", "单位", "数量", "内容", "项目"},
    key=len,
    reverse=True,
)
_WORD = re.compile("|".join(re.escape(w) for w in _WORDS))
# a run of cells: glued digits, signs inside, or numbers separated by spaces; a number
# followed by `．` and words is the numbering of the next label (`0 2．传真申请数`), not a cell
_NUMBER = r"[+\-]?\d+(?:\.\d+)?(?!\s*[.．、]\s*[\u4e00-\u9fff])"
_DIGITS = re.compile(_NUMBER + r"(?:[ \t\u3000]*" + _NUMBER + ")*")
# a date or a time is one token, never cells
_DATE_TIME = re.compile(r"(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_WRITTEN_DATE = re.compile(
    r"(?:(?:19|20)\d\d|[〇○零一二][〇○零一二三四五六七八九]{3})\s*年\s*[\d〇○零一二三四五六七八九十元]{1,3}"
    r"\s*月\s*[\d〇○零一二三四五六七八九十]{1,3}\s*日"
)
# a signature's date run into what follows it (`2022年1月7日抄送：`, `二○一○年四月十日 附表：`)
_DATE_THEN_MORE = re.compile(_WRITTEN_DATE.pattern + r"(?=\s|抄送|印发|附件|附表)")
# page chrome of portal pages: breadcrumb, share bar, download links
_CHROME = re.compile(
    r"当前位置\s*[:：]\s*\S+(?:\s*[>＞»/]\s*\S+)*"
    r"|(?:-->\s*)?微信\s*微博\s*QQ空间(?:\s*全真版)?(?:\s*文字版)?(?:\s*文件下载)?"
    r"(?:\s*相关链接\s*[:：])?"
    r"|附件下载|【?打印本页】?|【?关闭窗口】?|扫一扫在手机打开当前页|分享到\s*[:：]?"
)
# a sub-heading right after a table's last value: the table has ended (`…9116.36 (二)主动…`)
_AFTER_VALUE = re.compile(r"(?<=\d)\s*(?=[（(][一二三四五六七八九十]{1,2}[)）][\u4e00-\u9fff])")
_ATTACHMENT = re.compile(r"附\s*[表件]\s*\d*\s*[:：]|抄\s*送\s*[:：]")
# the keys of a page's metadata block that no sentence writes; a generic one (时间, 来源)
# only when it stands as a key, with its colon
_META_KEY = re.compile(
    "|".join(
        [
            *(r"\s*".join(k) for k in templates.DISTINCTIVE_META_KEYS),
            *(
                r"(?<![\u4e00-\u9fff])" + r"\s*".join(k) + r"(?=\s*[:：])"
                for k in sorted(templates.KEYS_NEEDING_COLON)
            ),
        ]
    )
)
_TITLE_END = re.compile(r"(?:年度报告|工作报告)(?![，,。、》”\)）])")


def needs_cutting(text: str) -> bool:
    if len(text) < MIN_LENGTH:
        return False
    return (
        bool(_BANNER.search(text))
        or len(_SECTION.findall(text)) >= 2
        or len(_NUMBERED_ROW.findall(text)) >= 3
    )


def cut(text: str) -> list[tuple[int, int]]:
    """Spans [start, end) of the pieces `text` is cut into, whitespace trimmed, in order."""
    cuts = {0, len(text)}
    for m in _SENTENCE_END.finditer(text):
        cuts.add(m.end())
    for m in _META_KEY.finditer(text):  # the page's metadata block, keys glued to values
        cuts.add(m.start())
        if re.match(r"\s*[:：]?\s*[\u4e00-\u9fff]", text[m.end() :]) and not re.match(
            r"\s*[:：]", text[m.end() :]
        ):
            cuts.add(m.end())  # a key with no value, glued to what follows
    for m in _TITLE_END.finditer(text):
        cuts.add(m.end())
    for m in _SECTION_HEADING.finditer(text):  # a section heading glued to what follows it
        cuts.add(m.end())
    for m in _DATE_THEN_MORE.finditer(text):
        cuts.add(m.end())
    for m in _AFTER_VALUE.finditer(text):
        cuts.add(m.start())
    for pattern in (_SECTION, _BANNER, _NUMBERED_ROW, _CAPTION, _CHROME, _ATTACHMENT):
        for m in pattern.finditer(text):
            cuts.add(m.start())
            if pattern in (_BANNER, _CAPTION, _CHROME, _ATTACHMENT):
                cuts.add(m.end())
    spans = _spans(text, cuts)
    fine: list[tuple[int, int]] = []
    for start, end in spans:
        fine += _cut_table_piece(text, start, end)
    return fine


def _cut_table_piece(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Inside a piece without a sentence end (table text), cut around table words and digits."""
    piece = text[start:end]
    if piece[-1] in "。；;！？!?，," or not (_WORD.search(piece) or _DIGITS.search(piece)):
        return [(start, end)]  # a sentence: prose keeps its numbers
    if _SECTION_HEADING.fullmatch(piece):
        return [(start, end)]  # `四、政府信息公开行政复议、行政诉讼情况` holds table words
    cuts = {start, end}
    for m in _WORD.finditer(piece):
        cuts.update((start + m.start(), start + m.end()))
    dates = [(m.start(), m.end()) for m in _DATE_TIME.finditer(piece)]
    for m in _DIGITS.finditer(piece):
        if not _inside_label(piece, m.start()) and not any(a <= m.start() < b for a, b in dates):
            cuts.update((start + m.start(), start + m.end()))
    for m in _NUMBERED_ROW.finditer(piece):
        cuts.add(start + m.start())
        cuts.discard(start + m.end())  # "1." stays with its label
    return _spans(text, cuts)


def _inside_label(piece: str, position: int) -> bool:
    """The `1` of `1.属于国家秘密` and the 2021 of `2021年` are text, not cells."""
    m = re.match(r"\d+", piece[position:])
    following = piece[position + m.end() : position + m.end() + 1] if m else ""
    return bool(re.match(r"\d[.．、][\u4e00-\u9fff]", piece[position : position + 3])) or (
        following != "" and following in "年月日号条件项次个名人万%"
    )


def _spans(text: str, cuts: set[int]) -> list[tuple[int, int]]:
    points = sorted(cuts)
    spans = []
    for a, b in zip(points, points[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
    return spans
