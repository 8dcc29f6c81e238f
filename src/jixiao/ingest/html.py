"""HTML pages of 政府信息公开 sites: the report without the site around it.

Decoding follows the page's own declaration (a BOM, then ``<meta charset>`` or the
``http-equiv`` content type, then an XML declaration); GB2312 and GBK are read as
GB18030, their superset, since pages labelled GB2312 routinely hold GBK characters.
A page that declares nothing is decoded as a text file would be.

The site around the report is dropped in three steps (lxml parses the page):
1. elements that are never content: scripts, styles, forms, ``nav``/``aside``/``footer``;
2. link lists: an element whose text is mostly links (at least two) — menus,
   breadcrumbs, 上一篇/下一篇, 【打印】【关闭】;
3. the content root: from ``body`` down, while one child holds most of the remaining
   text, descend into it (headers, sidebars and copyright lines fall away).

Tables keep their structure: ``colspan`` becomes a cell's span, a cell covered by a
``rowspan`` from above an empty ``merged_from_above`` cell — the same rows the DOCX and
PDF readers give. A table that holds tables is layout, read as blocks.
"""

from __future__ import annotations

import codecs
import re

from jixiao.document import RawCell, RawParagraph, RawTable, RawText
from jixiao.errors import CorruptDocument, EmptyDocument

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "euc-cn", "cp936", "gb18030"}
_NEVER_CONTENT = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "form",
    "select", "button", "input", "textarea", "nav", "aside", "footer", "head", "svg",
)  # fmt: skip
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "section", "article", "main", "header", "blockquote", "pre", "center", "address",
    "figure", "figcaption", "caption", "table", "tr", "td", "th", "body", "hr", "font-block",
}  # fmt: skip
#: a child holding this share of its parent's text is where the content is
_DOMINANT = 0.7
#: link share above which an element with two or more links is navigation
_LINK_LIST = 0.7
_SPACE = re.compile(r"[ \t\r\n\f\v\xa0]+")
_CJK_GAP = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]) (?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])"
)


def looks_like_html(head: bytes) -> bool:
    """Whether the first bytes of a file start an HTML document."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    while start.startswith(b"<!--"):
        end = start.find(b"-->")
        if end < 0:
            return False
        start = start[end + 3 :].lstrip()
    if start.startswith(b"<?xml"):
        start = start[start.find(b"?>") + 2 :].lstrip()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<body"))


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's text and the encoding used, by its declaration first."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    head = data[:8192]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if m is not None:
        declared = m.group(1).decode("ascii").lower()
        encoding = "gb18030" if declared in _GB else declared
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown label: fall back to detection
    from jixiao.ingest.encoding import decode

    return decode(data)


def read_html(data: bytes) -> tuple[list[RawParagraph | RawTable], str]:
    """Raw blocks of the page's main content, and the encoding it was decoded with."""
    import lxml.html
    from lxml import etree

    text, encoding = decode_html(data)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise CorruptDocument(f"HTML page that cannot be parsed ({exc})") from exc
    body = root.find("body")
    if body is None:
        body = root
    _strip(body)
    content = _content_root(body)
    blocks: list[RawParagraph | RawTable] = []
    _emit(content, blocks)
    blocks = [b for b in blocks if not isinstance(b, RawParagraph) or b.text.text.strip()]
    if not blocks:
        raise EmptyDocument(
            "HTML page with no content: only navigation, scripts or images; "
            "give the report's own page or its attachment"
        )
    return blocks, encoding


# ---------------------------------------------------------------------------- cleaning
def _strip(body) -> None:
    for element in list(body.iter(*_NEVER_CONTENT)):
        _drop(element)
    for element in list(body.iter()):
        if not isinstance(element.tag, str):
            _drop(element)  # comments, processing instructions
    # link lists, outermost first (a dropped element's descendants go with it)
    for element in list(
        body.iter("div", "ul", "ol", "p", "span", "td", "table", "section", "header", "dl")
    ):
        if element.getparent() is None or not _attached(element, body):
            continue
        links = element.findall(".//a")
        if len(links) < 2:
            continue
        total = _text_len(element)
        linked = sum(_text_len(a) for a in links)
        if total == 0 or linked / total >= _LINK_LIST:
            _drop(element)


def _attached(element, body) -> bool:
    return any(ancestor is body for ancestor in element.iterancestors())


def _drop(element) -> None:
    """Remove an element but keep the text that follows it (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _text_len(element) -> int:
    return len(_SPACE.sub("", "".join(element.itertext())))


def _content_root(body):
    """Descend while one child holds most of the text: the report's own container."""
    node = body
    while True:
        total = _text_len(node)
        if total == 0 or node.tag == "table":
            return node
        children = [c for c in node if isinstance(c.tag, str)]
        best = max(children, key=_text_len, default=None)
        if best is None or _text_len(best) < _DOMINANT * total or best.tag in ("tr", "tbody"):
            return node
        node = best


# ---------------------------------------------------------------------------- blocks
def _clean(text: str) -> str:
    return _CJK_GAP.sub("", _SPACE.sub(" ", text)).strip()


def _emit(element, blocks: list[RawParagraph | RawTable]) -> None:
    """Paragraphs and tables under `element`, in document order."""
    if element.tag == "table" and element.find(".//table") is None:
        table = _table(element)
        if table is not None:
            blocks.append(table)
        return
    line: list[str] = [element.text or ""]

    def flush() -> None:
        text = _clean("".join(line))
        if text:
            blocks.append(RawParagraph(RawText(text)))
        line.clear()

    for child in element:
        if not isinstance(child.tag, str):
            line.append(child.tail or "")
            continue
        if child.tag == "br":
            flush()
        elif child.tag in _BLOCK:
            flush()
            _emit(child, blocks)
        else:  # inline: its text joins the current line
            line.append(_inline_text(child, blocks, flush))
        line.append(child.tail or "")
    flush()


def _inline_text(element, blocks, flush) -> str:
    """Text of an inline element; a block nested in it (rare but seen) breaks the line."""
    if not any(
        isinstance(d.tag, str) and d.tag in _BLOCK | {"br"} for d in element.iterdescendants()
    ):
        return "".join(element.itertext())
    flush()
    _emit(element, blocks)
    return ""


def _cell_text(cell) -> str:
    """A cell's paragraphs joined by line breaks, as the DOCX reader joins them."""
    parts: list[RawParagraph | RawTable] = []
    _emit(cell, parts)
    return "\n".join(p.text.text for p in parts if isinstance(p, RawParagraph))


def _table(table) -> RawTable | None:
    rows_el = [tr for tr in table.iter("tr") if _owning_table(tr) is table]
    rows: list[list[RawCell]] = []
    #: column -> (rows still covered below, colspan of the covering cell)
    covered: dict[int, tuple[int, int]] = {}
    for tr in rows_el:
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        out: list[RawCell] = []
        col = 0
        queue = list(cells)
        while queue or any(c >= col for c in covered):
            if col in covered:
                left, span = covered[col]
                out.append(RawCell(RawText(""), colspan=span, merged_from_above=True))
                if left <= 1:
                    del covered[col]
                else:
                    covered[col] = (left - 1, span)
                col += span
                continue
            if not queue:
                col = min((c for c in covered if c >= col), default=col)
                continue
            cell = queue.pop(0)
            span = _int(cell.get("colspan"))
            down = _int(cell.get("rowspan"))
            out.append(RawCell(RawText(_cell_text(cell)), colspan=span))
            if down > 1:
                covered[col] = (down - 1, span)
            col += span
        if any(c.text.text.strip() for c in out):
            rows.append(out)
    return RawTable(rows) if rows else None


def _owning_table(tr):
    for ancestor in tr.iterancestors("table"):
        return ancestor
    return None


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(str(value).strip()), 1000))
    except (TypeError, ValueError):
        return 1
