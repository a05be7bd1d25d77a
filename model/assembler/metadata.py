"""Who published the report, about which year, when: from TITLE, SIGNATURE and META lines."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from nianbao.model import templates
from nianbao.model.assembler.dates import parse_date
from nianbao.model.lines import TaggedLine

META_FIELDS = templates.META_FIELDS
PUBLISHED_KEYS = templates.PUBLISHED_KEYS
TITLE_KEYS = templates.TITLE_KEYS
_KEY_RE = re.compile(
    "("
    + "|".join(
        r"\s*".join(k) + (r"(?=\s*[:：])" if k in templates.KEYS_NEEDING_COLON else "")
        for k in templates.cms_keys()  # longest first: 发布时间 before 时间
    )
    + r")\s*[:：]?\s*"
)
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d\d)\s*年?度?")
_BODY_SUFFIX = re.compile(
    "("
    + "|".join(
        sorted({*templates.BODY_SUFFIXES, *templates.MORE_BODY_SUFFIXES}, key=len, reverse=True)
    )
    + ")$"
)
_YEAR_MENTION = re.compile(r"((?:19|20)\d\d)\s*年")


def cms_fields(meta_lines: Sequence[TaggedLine]) -> dict[str, str]:
    """Key -> raw value of the page's metadata block (keys as written, spaces removed)."""
    text = "\n".join(t.line.text for t in meta_lines)
    text = re.sub(r"^[•·\s]+", "", text, flags=re.M)
    fields: dict[str, str] = {}
    matches = list(_KEY_RE.finditer(text))
    for i, m in enumerate(matches):
        key = re.sub(r"\s", "", m.group(1))
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end() : end].strip()
        if key in fields and fields[key]:
            continue
        # a key alone on its line may have its value on the next line ("来源:" / "河桥镇")
        fields[key] = " ".join(value.split())
    return fields


def metadata_block(fields: dict[str, str]) -> dict[str, str]:
    out = {}
    for name, keys in META_FIELDS.items():
        for key in keys:
            if fields.get(key):
                out[name] = fields[key]
                break
    return out


def published_date(fields: dict[str, str], year: int | None) -> str | None:
    for key in PUBLISHED_KEYS:
        if fields.get(key):
            date, _ = parse_date(fields[key], year)
            if date:
                return date
    return None


def cms_title(fields: dict[str, str]) -> str | None:
    """The title a CMS or archiver header gives the page (标题: …), for a report whose body
    repeats no title of its own; only when it reads as a report's title."""
    for key in TITLE_KEYS:
        value = re.sub(r"\s+", "", fields.get(key, ""))  # as join_title writes titles
        if re.search(r"报告|年报|总结", value):
            return value
    return None


def join_title(title_lines: Sequence[TaggedLine]) -> str | None:
    """Adjacent TITLE lines joined; a title repeated (whole or split) counts once."""
    candidates: list[str] = []
    current = ""
    for t in title_lines:
        piece = re.sub(r"\s+", "", t.line.text).lstrip("#")
        if current and _complete(current):
            candidates.append(current)
            current = ""
        current += piece
    if current:
        candidates.append(current)
    if not candidates:
        return None
    complete = [c for c in candidates if _complete(c)]
    pool = complete or candidates
    # A title with page furniture glued before it ends with a cleaner copy of the title.
    pool = [c for c in pool if not any(o != c and c.endswith(o) for o in pool)] or pool
    return Counter(pool).most_common(1)[0][0]


def _complete(title: str) -> bool:
    return bool(re.search(r"(报告|年报|情况)$", title))


def year_of(title: str | None, texts: Sequence[str]) -> int | None:
    """The year reported on: the title's, else the statistics period's, else the most said."""
    if title:
        m = _YEAR_IN_TITLE.search(title)
        if m:
            return int(m.group(1))
    joined = "\n".join(texts)
    m = re.search(r"(?:统计期限|统计时限|统计时间)[^。]{0,6}?((?:19|20)\d\d)\s*年", joined)
    if m:
        return int(m.group(1))
    m = re.search(r"((?:19|20)\d\d)\s*年度?(?:政府信息公开|政务公开|信息公开)工作", joined)
    if m:
        return int(m.group(1))
    years = Counter(int(y) for y in _YEAR_MENTION.findall(joined))
    if not years:
        return None
    return max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]


def organisation(
    title: str | None,
    signature: Sequence[TaggedLine],
    fields: dict[str, str],
    narrative: Sequence[str],
) -> str | None:
    """The body whose report it is: named by the title, else the signature, else the CMS's
    发布机构, else the preamble (本报告由…编制); completed by the others where they write
    the same body more fully (`河桥镇` -> `杭州市临安区河桥镇人民政府`); never a sub-office
    that only compiled or posted it (`…办公室` of the body), a field label or page chrome.

    Serves every page kind: titled reports, untitled ones signed at the end, archived pages
    whose header (发布机构) is the only name, and reports that name themselves in prose."""
    named = [
        *([n] if (n := title_body(title)) else []),
        *(n for t in signature if (n := body_name(t.line.text))),
        *(n for key in META_FIELDS["publisher"] if (n := body_name(fields.get(key, "")))),
        *(n for n in (preamble_body(narrative),) if n),
    ]
    if not named:
        return prose_organisation(narrative)
    primary = named[0]
    same_body = [n for n in named if _core(primary) in n and not _sub_office_of(n, primary)]
    return max(same_body, key=len)


_SUB_OFFICE = re.compile("(" + "|".join(templates.SUB_OFFICE_SUFFIXES) + ")$")


def _sub_office_of(name: str, body: str) -> bool:
    """`淮安市人民政府办公室` compiles the report of `淮安市人民政府`; it is not its body."""
    return name != body and bool(_SUB_OFFICE.search(name)) and not _SUB_OFFICE.search(body)


def title_body(title: str | None) -> str | None:
    """The body a title names: the words before the year or the report's name."""
    if not title:
        return None
    text = re.sub(r"\s+", "", title)
    if not re.search(r"报告|年报|总结", text):
        return body_name(text)  # a body name standing as the report's heading
    text = re.sub(r"^(?:19|20)\d\d年度?", "", text)  # `2019年上海市人民政府办公厅…`
    m = re.match(r"(.+?)(?:(?:19|20)\d\d|关于|政府信息公开|政务公开|信息公开)", text)
    return body_name(m.group(1)) if m else None


_CHROME_PREFIX = re.compile(r"^.*(?:-->|[:：>»])")
_DATE_PART = re.compile(
    r"(?:(?:19|20)\d\d|[〇○零一二][〇○零一二三四五六七八九]{3})\s*年"
    r"(?:度|\s*[\d元正一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*[日号])?$"
    r"|(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}.*$"
)
_GENERIC_ONLY = {
    *templates.BODY_SUFFIXES,
    *templates.MORE_BODY_SUFFIXES,
    *templates.SUB_OFFICE_SUFFIXES,
}


def body_name(text: str) -> str | None:
    """`text` as the name of a government body, or None: chrome and labels before it (`栏目:`,
    `…相关链接：-->`), a year glued before it and a date after it are stripped; what is left
    must end as a body's name does and hold no digits or punctuation."""
    text = re.sub(r"\s+", "", text or "")
    text = _CHROME_PREFIX.sub("", text)
    text = _DATE_PART.sub("", text)
    text = re.sub(r"^(?:19|20)\d\d年度?", "", text)
    if not (2 <= len(text) <= 30) or text in _GENERIC_ONLY or not _BODY_SUFFIX.search(text):
        return None
    if re.search(r"[\d，,。；;、（）()《》“”\"]", text) or set(text) & _NOT_IN_BODY:
        return None
    return text


_NOT_IN_BODY = set("我本了的把被就是")  # words of a sentence, never of a body's name


_PREAMBLE_BODY = re.compile(
    r"(?:本报告|本年度报告|本年报)由([\u4e00-\u9fff]{2,30}?)(?:根据|编制|依据|按照)"
)


def preamble_body(narrative: Sequence[str]) -> str | None:
    """`本报告由平潭综合实验区市场监督管理局编制…`: the body that compiled it."""
    for text in narrative[:5]:
        m = _PREAMBLE_BODY.search(text)
        if m and (name := body_name(m.group(1))):
            return name
    return None


_PROSE_NAME = re.compile(
    r"(?:^|[《“，,。；;、：:（(]|由|在|经|是|对|与)"
    r"((?:\*{3}|××)?[\u4e00-\u9fff]{1,9}?(?:" + "|".join(templates.PROSE_BODY_SUFFIXES) + "))"
)
_NOT_IN_NAME = set("我本了由的对为使在将其这该各全等经向请及把被从于就是有然后报送审")
_GENERIC_NAMES = {
    "市政府",
    "县政府",
    "省政府",
    "区政府",
    "人民政府",
    "国务院办公厅",
    "省政府办公厅",
}


def prose_organisation(texts: Sequence[str]) -> str | None:
    """The name a report without title or signature gives itself in its prose.

    Used only when nothing else names the body: the most often written body name
    (`市城管执法局`), a shorter form counting for the longer one it ends (`城管执法局`).
    """
    counts: Counter[str] = Counter()
    for text in texts:
        for m in _PROSE_NAME.finditer(text):
            name = m.group(1)
            if not (set(name) & _NOT_IN_NAME) and name not in _GENERIC_NAMES:
                counts[name] += 1
    for short in list(counts):
        longer = [n for n in counts if n != short and n.endswith(short)]
        if longer:
            counts[max(longer, key=len)] += counts.pop(short)
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def looks_like_body_name(text: str) -> bool:
    return (
        len(text) <= 20
        and bool(_BODY_SUFFIX.search(text))
        and not re.search(r"[\d，,。：:；;、]", text)
        and not set(text) & _NOT_IN_NAME
    )


def _core(name: str) -> str:
    return re.sub(r"(人民政府|政府)$", "", name) or name
