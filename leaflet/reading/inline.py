"""Parse inline Markdown (emphasis, links, line breaks) and [@key] citations into model inlines."""

from __future__ import annotations

import re

from ..core.model import Citation, Inline, LineBreak, Link, Strong, Text

ALLOWED_SCHEMES = ("https:", "http:", "mailto:", "tel:")
CITATION = re.compile(r"\[@([A-Za-z0-9_][\w:.-]*)((?:\s*[;,]\s*@[A-Za-z0-9_][\w:.-]*)*)\]")

_parser = None


def _inline_parser():
    """mistune's CommonMark inline parser: no block syntax, no entity decoding, raw HTML kept as text."""
    global _parser
    if _parser is None:
        from mistune.inline_parser import InlineParser

        _parser = InlineParser(hard_wrap=False)
    return _parser


def parse_inline(source: str, citation_location) -> tuple[tuple[Inline, ...], list[tuple[str, int]]]:
    """Return the inlines of source and its problems (such as refused link schemes) with their offsets.

    citation_location(offset) gives the Location of a citation starting at that offset of source.
    """
    problems: list[tuple[str, int]] = []
    search_from = 0

    def citations_in(text: str) -> list[Inline]:
        nonlocal search_from
        items: list[Inline] = []
        position = 0
        for match in CITATION.finditer(text):
            if match.start() > position:
                items.append(Text(text[position : match.start()]))
            keys = (match.group(1), *re.findall(r"@([A-Za-z0-9_][\w:.-]*)", match.group(2)))
            offset = source.find(match.group(0), search_from)
            if offset >= 0:
                search_from = offset + len(match.group(0))
            items.append(Citation(tuple(keys), citation_location(max(offset, 0))))
            position = match.end()
        if position < len(text):
            items.append(Text(text[position:]))
        return items

    def convert(tokens: list[dict]) -> list[Inline]:
        items: list[Inline] = []
        pending: list[str] = []  # neighbouring text, joined so citations split by the parser are found

        def flush() -> None:
            if pending:
                items.extend(citations_in("".join(pending)))
                pending.clear()

        for token in tokens:
            kind = token["type"]
            if kind in ("text", "codespan", "inline_html"):
                pending.append(token.get("raw", ""))
            elif kind == "softbreak":
                pending.append(" ")
            elif kind == "linebreak":
                flush()
                items.append(LineBreak())
            elif kind in ("strong", "emphasis"):
                flush()
                items.append(Strong(tuple(_merge(convert(token["children"])))))  # Clear Print: bold, never italic
            elif kind == "link":
                flush()
                href = str(token.get("attrs", {}).get("url", ""))
                children = tuple(_merge(convert(token["children"])))
                if href.lower().startswith(ALLOWED_SCHEMES):
                    items.append(Link(href, children))
                else:
                    scheme = href.split(":", 1)[0] + ":" if ":" in href else ""
                    what = f"a {scheme} link" if scheme else "a link without https://"
                    offset = source.find(href)
                    problems.append((f"link '{href}' is not allowed ({what})", max(offset, 0)))
                    items.extend(children)  # a refused link keeps its words
            elif kind == "image":
                flush()
                offset = source.find("![")
                problems.append(("images cannot go inside text: use an 'image:' block", max(offset, 0)))
            else:
                pending.append(token.get("raw", ""))
        flush()
        return items

    return tuple(_merge(convert(_inline_parser()(source, {})))), problems


def _merge(items: list[Inline]) -> list[Inline]:
    """Join neighbouring Text items, so output is the same however the parser split it."""
    merged: list[Inline] = []
    for item in items:
        if isinstance(item, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + item.text)
        elif isinstance(item, Text) and not item.text:
            continue
        else:
            merged.append(item)
    return merged
