"""What "About this leaflet" says: version, approval and how to give feedback; for clinicians also owner and changes."""

from __future__ import annotations

from dataclasses import dataclass

from .dates import long_date, month_year
from .model import HistoryEntry, Inline, Leaflet, Strong, Text
from .theme import AudienceStyle, Theme
from .wording import email_link, phone_link

Line = tuple[Inline, ...]


@dataclass
class About:
    """The document-control section printed at the end of a variant."""

    heading: str
    paragraphs: tuple[Line, ...]
    earlier: tuple[Line, ...] = ()  # earlier versions, newest first (the full section only)
    run_in: bool = False  # the short section: one paragraph that starts with the heading, in bold


def about(leaflet: Leaflet, theme: Theme, style: AudienceStyle) -> About:
    """The section for one audience: `full` (the style's `about`) for those who keep leaflets, else `short`."""
    review = leaflet.review
    current = [entry for entry in leaflet.history if entry.version == review.version]
    entry = current[-1] if current else None
    approver = (entry.approved_by if entry else "") or review.approved_by
    feedback = feedback_route(theme)
    if style.about != "full":  # one paragraph, so that it seldom needs a page of its own
        when = month_year(entry.date if entry else review.last_reviewed)
        said: list[Inline] = [Strong((Text(f"{style.about_heading}:"),)), Text(f" version {review.version}, {when}.")]
        if approver:
            said.append(Text(f" Approved by {approver}."))
        if feedback:
            said += [Text(" Tell us what you think of it: "), *feedback, Text(".")]
        return About(style.about_heading, (tuple(said),), run_in=True)
    lines: list[Line] = []
    if review.owner:
        lines.append(_labelled("Owner", Text(review.owner)))
    if review.author:
        lines.append(_labelled("Written by", Text(review.author)))
    version = f"{review.version}, last reviewed {long_date(review.last_reviewed)}"
    lines.append(_labelled("Version", Text(version)))
    if entry is not None and entry.approved_by:
        lines.append(_labelled("Approved by", Text(f"{entry.approved_by}, {long_date(entry.date)}")))
    elif review.approved_by:
        lines.append(_labelled("Approved by", Text(review.approved_by)))
    if entry is not None:
        lines.append(_labelled("Changes in this version", Text(entry.changes)))
    if feedback:
        lines.append(_labelled("Feedback", *feedback))
    earlier = [e for e in leaflet.history if e is not entry]
    earlier.sort(key=lambda e: e.date, reverse=True)
    return About(style.about_heading, tuple(lines), tuple(_version_line(e) for e in earlier))


def feedback_route(theme: Theme) -> Line:
    """How a reader can comment: the style's `feedback`, else its contact email and phone, as links."""
    if theme.feedback:
        return (Text(theme.feedback),)
    contact = theme.contact
    route: list[Inline] = []
    if contact.email:
        route += [Text("email "), email_link(contact.email)]
    if contact.phone:
        route += [Text(" or phone " if route else "phone ")]
        route.append(phone_link(contact.phone, contact.phone.replace(" ", "\u00a0")))  # not broken across lines
    return tuple(route)


def _labelled(label: str, *value: Inline) -> Line:
    return (Strong((Text(f"{label}:"),)), Text(" "), *value)


def _version_line(entry: HistoryEntry) -> Line:
    text = f" ({long_date(entry.date)}): {entry.changes}"
    if entry.approved_by:
        text += f"{'' if entry.changes.endswith('.') else '.'} Approved by {entry.approved_by}."
    return (Strong((Text(f"Version {entry.version}"),)), Text(text))
