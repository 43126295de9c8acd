"""Parse inline Markdown (emphasis, links, line breaks) and [@key] citations into model inlines."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from .model import Citation, Inline, LineBreak, Link, Strong, Text

ALLOWED_SCHEMES = ("https:", "http:", "mailto:", "tel:")
CITATION = re.compile(r"\[@([A-Za-z0-9_][\w:.-]*)((?:\s*[;,]\s*@[A-Za-z0-9_][\w:.-]*)*)\]")

_markdown: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _markdown
    if _markdown is None:
        # No raw HTML and no entity decoding: text such as "<b>" or "&copy;" is printed as written.
        _markdown = MarkdownIt("commonmark", {"html": False}).disable(["entity", "image"])
        # Accept every link here, so a refused scheme becomes a clear error instead of plain text.
        _markdown.validateLink = lambda url: True
    return _markdown


def parse_inline(source: str, citation_location) -> tuple[tuple[Inline, ...], list[tuple[str, int]]]:
    """Return the inlines of source and its problems (such as refused link schemes) with their offsets.

    citation_location(offset) gives the Location of a citation starting at that offset of source.
    """
    problems: list[tuple[str, int]] = []
    tokens = _parser().parseInline(source)
    children = tokens[0].children if tokens and tokens[0].children else []
    stack: list[list[Inline]] = [[]]
    opened: list[tuple[str, str]] = []
    search_from = 0
    pending_text: list[str] = []

    def flush_text() -> None:
        nonlocal search_from
        if not pending_text:
            return
        text = "".join(pending_text)
        pending_text.clear()
        position = 0
        for match in CITATION.finditer(text):
            if match.start() > position:
                stack[-1].append(Text(text[position : match.start()]))
            keys = (match.group(1), *re.findall(r"@([A-Za-z0-9_][\w:.-]*)", match.group(2)))
            offset = source.find(match.group(0), search_from)
            if offset >= 0:
                search_from = offset + len(match.group(0))
            stack[-1].append(Citation(tuple(keys), citation_location(max(offset, 0))))
            position = match.end()
        if position < len(text):
            stack[-1].append(Text(text[position:]))

    for token in children:
        kind = token.type
        if kind in ("text", "code_inline", "html_inline"):
            pending_text.append(token.content)
        elif kind == "softbreak":
            pending_text.append(" ")
        elif kind == "hardbreak":
            flush_text()
            stack[-1].append(LineBreak())
        elif kind in ("strong_open", "em_open"):
            flush_text()
            stack.append([])
            opened.append((kind, ""))
        elif kind == "link_open":
            flush_text()
            href = str(token.attrs.get("href", ""))
            if not href.lower().startswith(ALLOWED_SCHEMES):
                scheme = href.split(":", 1)[0] + ":" if ":" in href else ""
                kind = f"a {scheme} link" if scheme else "a link without https://"
                offset = source.find(href)
                problems.append((f"link '{href}' is not allowed ({kind})", offset if offset >= 0 else 0))
                href = ""
            stack.append([])
            opened.append((kind, href))
        elif kind in ("strong_close", "em_close", "link_close"):
            flush_text()
            inner = tuple(stack.pop())
            _, href = opened.pop()
            if kind == "link_close":
                if href:
                    stack[-1].append(Link(href, inner))
                else:
                    stack[-1].extend(inner)  # a refused link keeps its words
            else:
                # Clear Print: emphasis is bold, never italic.
                stack[-1].append(Strong(inner))
        else:
            pending_text.append(token.content)
    flush_text()
    return tuple(_merge(stack[0])), problems


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
