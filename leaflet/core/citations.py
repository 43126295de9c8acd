"""Number citations in order of first appearance and format references in Vancouver style."""

from __future__ import annotations

from .model import Inline, Leaflet, Link, Part, Reference, RichText, Text, citation_keys, texts

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MAX_AUTHORS = 6  # ICMJE / NLM: list six, then "et al."


def number(content: Leaflet) -> tuple[dict[str, int], tuple[Reference, ...]]:
    """Each cited reference's number in this content (one audience's), and the cited references in that order."""
    by_id = {r.id: r for r in content.references}
    cited = tuple(by_id[key] for key in citation_order(content) if key in by_id)
    return {r.id: i + 1 for i, r in enumerate(cited)}, cited


def citation_order(content: Leaflet) -> list[str]:
    """Cited keys in order of first citation in the text."""
    return list(dict.fromkeys(key for text in texts(content) for key in citation_keys(text.inlines)))


def cited_numbers(keys: tuple[str, ...], numbers: dict[str, int]) -> list[int]:
    """The reference numbers a citation of keys points to, in order, each once."""
    return sorted({numbers[k] for k in keys if k in numbers})


def citation_label(keys: tuple[str, ...], numbers: dict[str, int]) -> str:
    """[1], [1,2] or [1-3]: numbers sorted, runs of three or more joined with a dash."""
    values = cited_numbers(keys, numbers)
    groups: list[list[int]] = []
    for value in values:
        if groups and value == groups[-1][-1] + 1:
            groups[-1].append(value)
        else:
            groups.append([value])
    text = ",".join(f"{g[0]}\u2013{g[-1]}" if len(g) > 2 else ",".join(map(str, g)) for g in groups)
    return f"[{text}]"


def vancouver(reference: Reference) -> RichText:
    """One reference in Vancouver style, with its DOI, PMID and URL as links."""
    pieces: list[Inline] = []
    authors = list(reference.authors)
    if authors:
        shown = authors[:MAX_AUTHORS] + (["et al"] if len(authors) > MAX_AUTHORS else [])
        pieces.append(Text(", ".join(shown) + ". "))
    pieces.append(Text(_sentence(reference.title) + " "))
    if reference.journal:
        pieces.append(Text(_sentence(reference.journal) + " "))
    if reference.publisher:
        pieces.append(Text(_sentence(reference.publisher) + " "))
    when = ""
    if reference.year:
        when = str(reference.year)
        if reference.month:
            when += f" {MONTHS[reference.month - 1]}"
            if reference.day:
                when += f" {reference.day}"
    issue = reference.volume + (f"({reference.issue})" if reference.issue else "")
    # NLM: "2021;4(2):112-9", or with pages and no volume or issue, "2021:CD009790".
    date_and_issue = ";".join(part for part in (when, issue) if part)
    located = ":".join(part for part in (date_and_issue, reference.pages) if part)
    if located:
        pieces.append(Text(f"{located}. "))
    if reference.doi:
        pieces += [Text("doi: "), Link(doi_link(reference.doi), (Text(reference.doi),)), Text(". ")]
    if reference.pmid:
        pieces += [
            Text("PMID: "),
            Link(f"https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}/", (Text(reference.pmid),)),
            Text(". "),
        ]
    if reference.url and not reference.doi:
        pieces += [Text("Available from: "), Link(reference.url, (Text(reference.url),))]
    last = pieces[-1]
    if isinstance(last, Text):
        pieces[-1] = Text(last.text.rstrip())
    return RichText((Part(None, tuple(pieces), reference.location),))


_ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# What a web address may hold as it is (RFC 3986), '%' of an escape included; and what a DOI may hold as it is
# in the path of a resolver's address (the DOI Handbook, 2.5.2.4): not '#', '?' or '%'.
URI_SAFE = frozenset(_ALPHANUMERIC + "-._~:/?#[]@!$&'()*+,;=%")
DOI_SAFE = frozenset(_ALPHANUMERIC + "-._~/:;()@!$&'*+,=")


def percent_encoded(text: str, safe: frozenset[str] = URI_SAFE) -> str:
    """text with every character not in safe written as %XX escapes of its UTF-8 bytes: a link in a PDF is
    ASCII, and a space or a quote would end it early."""
    return "".join(char if char in safe else "".join(f"%{byte:02X}" for byte in char.encode("utf-8")) for char in text)


def doi_link(doi: str) -> str:
    """The resolver's address for a DOI, with '#', '?', '%', quotes, spaces and non-ASCII percent-encoded, so
    a DOI such as 10.1002/(SICI)...<463::AID-JBM7>3.0.CO;2-# reaches the resolver whole."""
    return "https://doi.org/" + percent_encoded(doi, DOI_SAFE)


def _sentence(text: str) -> str:
    """End with a full stop unless the text already ends with punctuation."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."
