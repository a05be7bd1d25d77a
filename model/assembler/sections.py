"""Headings -> section keys, by meaning rather than exact wording."""

from __future__ import annotations

import re

from nianbao.model.vocabulary import normalise

# Checked in order: the first rule whose pattern the heading matches gives the key.
# Review/litigation before applications ("因政府信息公开申请行政复议..."), problems before
# the others ("存在的主要问题及改进情况", "存在的主要问题及明年工作计划").
SECTION_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("appendix", re.compile(r"^附[表件]|附表$|统计表$")),
    ("review_litigation", re.compile(r"复议|诉讼|申诉")),
    ("fees", re.compile(r"收费|减免")),
    ("consultation", re.compile(r"咨询")),
    ("other_matters", re.compile(r"其他需要报告|其他事项|其他需要说明")),
    ("problems_improvements", re.compile(r"问题|不足|改进|困难|整改")),
    ("plan", re.compile(r"工作打算|工作计划|工作思路|下一年|下一步|明年|来年|工作安排")),
    ("applications", re.compile(r"依申请|收到和处理|申请")),
    ("active_disclosure", re.compile(r"主动公开")),
    (
        "overview",
        re.compile(r"概述|总体情况|基本情况|工作情况|完成情况|工作概况|概况|成效|组织领导|总体"),
    ),
)
_TOP_NUMBERING = re.compile(r"^[一二三四五六七八九十]+[、.．,]")
_ANY_NUMBERING = re.compile(
    r"^([一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]*[)）]|\d+[、.．]|第[一二三四五六七八九十]+[章节部分])"
)


_SUB_NUMBERING = re.compile(r"[(（][一二三四五六七八九十]+[)）]")


def section_key(heading: str) -> str:
    """The key of a section by its heading's words; a sub-heading glued after it
    (`一、总体情况（一）主动公开情况`) does not count."""
    text = normalise(heading)
    text = _ANY_NUMBERING.sub("", text)
    text = _SUB_NUMBERING.split(text)[0] or text
    for key, pattern in SECTION_RULES:
        if pattern.search(text):
            return key
    return "other"


def is_section_heading(heading: str, numbered: bool = False) -> bool:
    """Top-level headings open a section: `一、...`, or unnumbered ones a rule recognises.

    Sub-headings (`(一)...`, `1、...`) stay inside the section they belong to; so do the
    unnumbered run-in headings of a report that numbers its parts (`numbered`), except
    its 附表.
    """
    text = normalise(heading).lstrip("#")
    if _TOP_NUMBERING.match(text):
        return True
    if _ANY_NUMBERING.match(text):
        return False
    if len(text) > 30:
        return False
    key = section_key(text)
    return key == "appendix" if numbered else key != "other"


def is_numbered_part(heading: str) -> bool:
    """`一、总体情况`: a heading numbered as one of the report's parts."""
    return bool(_TOP_NUMBERING.match(normalise(heading).lstrip("#")))


_APPENDIX_CAPTION = re.compile(r"^[\W_]*附\s*[表件]")


def opens_appendix(caption: str) -> bool:
    """`附表：` / `附件：…统计表` printed after the narrative: the report's appendix starts."""
    return bool(_APPENDIX_CAPTION.match(normalise(caption)))
