"""A fetched home page -> the facts icp.display judges (visible text, links, images).

lxml's HTML parser is lenient like a browser's; scripts, styles and templates are dropped
before the text is read, so a number inside a script is never taken as shown.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from icp.display import LinkFact, PageFacts

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_HIDDEN = ("script", "style", "noscript", "template", "head")


def decode(body: bytes, content_type: str = "") -> str:
    """The page as text: the charset of the header, else of a <meta>, else UTF-8."""
    charset = ""
    if "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    if not charset:
        m = _CHARSET.search(body[:4096])
        charset = m.group(1).decode("ascii").lower() if m else "utf-8"
    if charset in ("gb2312", "gbk"):
        charset = "gb18030"  # a superset: pages labelled GB2312 use GBK characters
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _image_words(img: etree._Element) -> str:
    return " ".join(img.get(a, "") for a in ("src", "alt", "title")).strip() or "img"


def page_facts(html: str) -> PageFacts:
    """The visible text and every <a href> of a page; empty facts for an empty page."""
    if not html.strip():
        return PageFacts(text="")
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return PageFacts(text="")
    for el in list(root.iter(*_HIDDEN)):
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()
    links = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href:
            continue
        parent = a.getparent()
        near = [] if parent is None else [i for i in parent.iter("img") if i.getparent() is parent]
        links.append(
            LinkFact(
                href=href,
                text=a.text_content(),
                images=tuple(_image_words(i) for i in a.iter("img")),
                near_images=tuple(_image_words(i) for i in near),
                target=a.get("target") or "",
            )
        )
    return PageFacts(text=_block_text(root), links=tuple(links))


def _block_text(root: etree._Element) -> str:
    """Text with a space where an element starts or ends, so that neighbouring cells don't
    run together; numbers split by inline markup survive (spaces inside a number are
    normalised away by the number search)."""
    parts: list[str] = []
    for event, node in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(node.tag, str):
            if event == "end" and node.tail:
                parts.append(node.tail)
            continue
        if event == "start":
            parts.append(" ")
            if node.text:
                parts.append(node.text)
        else:
            parts.append(" ")
            if node.tail:
                parts.append(node.tail)
    return re.sub(r"[ \t\r\f\v]+", " ", "".join(parts))
