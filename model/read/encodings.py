"""Bytes -> text, whatever the encoding Chinese government sites serve.

They serve UTF-8, GBK/GB18030 and Big5, with or without a BOM, and rarely say which; the
decoder guesses from the bytes: a wrong decoding of GBK or Big5 bytes yields rare
characters, so the share of common ones tells the right codec.
"""

from __future__ import annotations

import codecs
import re

from nianbao.model.read.document import ReadError

# The 300 most frequent characters of Chinese government prose, in both simplified and
# traditional forms where they differ. A wrong decoding of GBK or Big5 bytes yields
# rare characters, so the share of these tells the right codec.
_COMMON_CHARS = set(
    "的一是不了在人有我他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去"
    "之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方"
    "又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点"
    "月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门"
    "相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总"
    "才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合"
    "放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服"
    "毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带"
    "花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转"
    "量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千"
    "片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观"
    "争究包组造落视济喜离虽坏兴切府申请况镇县局依条例"
    "們來個時說為會過學對這後麼見經頭現動兩長樣將從點實與問機給幾業間當發開無國進關並內"
    "產軍萬體處師書員報馬張難數車應較門東區親條義術結聯遠資隊帶變權傳領運達強質導單據網"
    "專華觀爭視濟離興辦請況縣務訊報態"
)


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode bytes in any encoding Chinese government sites use; return (text, codec)."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(codec), codec
            except UnicodeDecodeError as e:
                raise ReadError(
                    f"the file starts with a {codec} byte-order mark but is not {codec}"
                ) from e
    if b"\x00" in raw[:4096]:  # text in any encoding we read has no NUL (UTF-16 has its BOM)
        raise ReadError("the file is binary, not text or HTML")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(raw)
    candidates = ["gb18030", "big5"]
    if declared in candidates:
        candidates.remove(declared)
        candidates.insert(0, declared)
    best: tuple[float, str, str] | None = None
    for codec in candidates:
        text, bad = _decode_counting_errors(raw, codec)
        score = _plausibility(text) - 5.0 * bad / max(len(text), 1)
        if best is None or score > best[0]:
            best = (score, text, codec)
    assert best is not None
    score, text, codec = best
    if score < 0.05:
        raise ReadError("the file is neither text nor HTML in a Chinese encoding this tool reads")
    return text, codec


def _decode_counting_errors(raw: bytes, codec: str) -> tuple[str, int]:
    text = raw.decode(codec, errors="replace")
    return text, text.count("\ufffd")


def _plausibility(text: str) -> float:
    """Share of the CJK characters that are common ones (0 for a wrong decoding)."""
    sample = text[:20000]
    cjk = [c for c in sample if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"]
    if not cjk:
        # No CJK at all: plausible only if it is mostly printable ASCII.
        printable = sum(1 for c in sample if c.isprintable() or c in "\r\n\t")
        return 0.5 if sample and printable / len(sample) > 0.95 else 0.0
    return sum(1 for c in cjk if c in _COMMON_CHARS) / len(cjk)


_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def _declared_charset(raw: bytes) -> str | None:
    m = _CHARSET_RE.search(raw[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    if name in {"gb2312", "gbk", "gb18030", "x-gbk"}:
        return "gb18030"
    if name.startswith("big5"):
        return "big5"
    return None
