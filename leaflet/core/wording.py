"""The fixed wording every writer prints around the content: footer statements, contact lines, links described."""

from __future__ import annotations

import re

from .dates import long_date, month_year
from .model import GlossaryEntry, Inline, Leaflet, LineBreak, Link, Strong, Text
from .theme import Theme

SEPARATOR = " \u00b7 "  # between the pieces of a footer statement on one line


def one_line(text: str) -> str:
    """text for a single line drawn on the page: every run of spaces, tabs and line breaks (which no font
    draws) becomes one space."""
    return " ".join(text.split())


def footer_groups(leaflet: Leaflet) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The footer's two statements, each as pieces that may go on separate lines when space is short."""
    review = leaflet.review
    first = (one_line(leaflet.title.plain()), f"Ref {leaflet.id}", one_line(f"Version {review.version}"))
    second = (f"Last reviewed {long_date(review.last_reviewed)}", f"Next review {month_year(review.next_review)}")
    return first, second


def bare_address(url: str) -> str:
    """A web address as people write it: without https:// or a trailing slash."""
    return re.sub(r"^https?://", "", url).rstrip("/")


def link_description(href: str, text: str) -> str:
    """What a link does, for screen readers (a PDF link annotation's /Contents)."""
    text = one_line(text)
    if href.startswith("mailto:"):
        return f"Email {href[len('mailto:') :]}"
    if href.startswith("tel:"):
        return f"Phone {text or href[len('tel:') :]}"
    if not text or text.rstrip("/") in (href.rstrip("/"), bare_address(href)):
        return href
    return f"{text} ({href})"


def citation_description(label: str) -> str:
    """What a citation link such as [1,2] does: 'Go to references 1, 2'."""
    listed = label.strip("[]").replace(",", ", ")
    return f"Go to reference{'' if listed.isdigit() else 's'} {listed}"


def phone_link(phone: str, shown: str | None = None) -> Link:
    """A phone number as a link that dials it (tel: with its digits), shown as written or as shown."""
    return Link("tel:" + re.sub(r"[^0-9+]", "", phone), (Text(phone if shown is None else shown),))


def email_link(email: str) -> Link:
    return Link(f"mailto:{email}", (Text(email),))


def contact_lines(theme: Theme) -> list[tuple[Inline, ...]]:
    """The lines of a contact box: who, phone (with hours), email, website, address; each a run of inlines."""
    contact = theme.contact
    lines: list[tuple[Inline, ...]] = [(Strong((Text(theme.department or theme.organisation),)),)]
    if contact.phone:
        hours = f" ({contact.phone_hours})" if contact.phone_hours else ""
        lines.append((Text("Phone: "), phone_link(contact.phone), Text(hours)))
    if contact.email:
        lines.append((Text("Email: "), email_link(contact.email)))
    if contact.website:
        lines.append((Text("Website: "), Link(contact.website, (Text(bare_address(contact.website)),))))
    if contact.address:
        lines.append((Text(", ".join(contact.address)),))
    return lines


ONLINE_HEADING = "Read this leaflet online"
BLANK_PAGE = "This page is intentionally blank"  # a page that pads a booklet to a multiple of 4


def online_text(url: str) -> tuple[Inline, ...]:
    """Beside the QR code: where to read the leaflet online; the address on a line of its own, without https://,
    so it is not broken in the middle."""
    return (
        Strong((Text(ONLINE_HEADING),)),
        LineBreak(),
        Text("Scan the code or go to"),
        LineBreak(),
        Link(url, (Text(bare_address(url)),)),
    )


def qr_description(url: str) -> str:
    """The QR code's alternative text."""
    return f"QR code linking to {url}"


def glossary_term(entry: GlossaryEntry) -> str:
    """A glossary term as the "Words explained" box shows it: with a capital first letter."""
    return entry.term[:1].upper() + entry.term[1:]
