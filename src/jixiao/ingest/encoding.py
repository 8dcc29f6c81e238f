"""Decoding a text file of unknown encoding (UTF-8/16/32 with or without a BOM, GB18030 …).

Government disclosures are exported as text by many tools over many years: GBK and
UTF-16 without a BOM are common, so the order of the guesses matters (see `decode`).
"""

from __future__ import annotations

import codecs
import re

from jixiao.errors import EmptyDocument, UnsupportedFormat

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of unknown encoding; return the text and the encoding used.

    Order matters: a BOM is certain; UTF-8 is strict enough to trust when it decodes;
    UTF-16 without a BOM shows as NUL bytes in every other position; GB18030 decodes
    any GBK text, and charset-normalizer settles what is left.
    """
    if not data.strip(b" \t\r\n\f\v\x00"):
        raise EmptyDocument("empty file: it holds no text (only blanks or NUL bytes)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        even_nuls = sample[0::2].count(b"\x00")
        odd_nuls = sample[1::2].count(b"\x00")
        encoding = "utf-16-be" if even_nuls > odd_nuls else "utf-16-le"
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _bomless_utf16(data)
    if utf16 is not None:
        return utf16
    try:
        text = data.decode("gb18030")
        if _looks_like_text(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and _looks_like_text(str(best)):
        return str(best), codecs.lookup(best.encoding).name
    raise UnsupportedFormat("not a text file: the bytes decode in no known encoding (binary data?)")


_PLAUSIBLE = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\x20-\x7e\t\r\n“”‘’、…—]")


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: mostly-Chinese text has few NULs, so judge the decoded text.

    Arbitrary bytes read as UTF-16 scatter over the whole code space; real text stays in
    CJK, ASCII and CJK punctuation almost entirely.
    """
    if len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:5000]
        if sample and len(_PLAUSIBLE.findall(sample)) >= 0.97 * len(sample):
            return text, encoding
    return None


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n\f") or ch == "\ufffd")
    return bad / len(sample) < 0.01
