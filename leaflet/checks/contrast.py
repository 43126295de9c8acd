"""Accessibility of a style: WCAG contrast of every text colour on its background, and type sizes."""

from __future__ import annotations

from typing import NamedTuple

from ..core.page import CLEAR_PRINT_MINIMUM, NOTICE_COLOURS, type_scale
from ..core.theme import AA_NORMAL, TONES, AudienceStyle, Theme, contrast_ratio, hex_rgb, tint

AA_LARGE = 3.0  # large text: 18 pt and over, or 14 pt bold and over


class ColourPair(NamedTuple):
    """One foreground on one background, where the layout uses it, at the smallest size it is used."""

    where: str
    foreground: str  # theme colour name
    background: str  # theme colour name, "tint:<tone>" for a box tinted from that colour, or "white" (the paper)
    size: float
    bold: bool

    @property
    def large(self) -> bool:
        return self.size >= 18 or (self.bold and self.size >= 14)

    @property
    def required(self) -> float:
        return AA_LARGE if self.large else AA_NORMAL


def resolve(theme: Theme, name: str) -> tuple[float, float, float]:
    if name == "white":
        return (1.0, 1.0, 1.0)
    if name.startswith("tint:"):
        return tint(theme.colours[name.removeprefix("tint:")])
    return hex_rgb(theme.colours[name])


def colour_pairs(theme: Theme, audience: str) -> list[ColourPair]:
    """Every text colour on every background the PDF writer draws it on, for one audience, at the page design's
    type sizes (core/page.py)."""
    sizes = type_scale(theme.for_audience(audience))
    body = sizes.body
    reference = sizes.reference  # the reference list: the smallest linked text
    pairs = [
        ColourPair("organisation name in the header band", "on_brand", "brand", sizes.organisation, True),
        ColourPair("department in the header band", "on_brand", "brand", sizes.department, False),
        ColourPair("audience label", "heading", "panel", sizes.audience_label, True),
        ColourPair("body text and references", "text", "white", min(body, reference), False),
        ColourPair("title and headings", "heading", "white", min(sizes.headings), True),
        ColourPair("subtitle and captions", "muted", "white", min(sizes.subtitle, sizes.caption), False),
        ColourPair("links and citation numbers", "link", "white", reference, False),
        ColourPair("list bullets and numbers", "brand", "white", body, False),
        ColourPair("footer", "text", "white", sizes.footer, False),
        ColourPair("review-overdue notice", *NOTICE_COLOURS, sizes.notice, True),
    ]
    for box, background in [("key points, contact and 'Words explained' boxes", "panel")] + [
        (f"{tone} boxes", f"tint:{tone}") for tone in TONES
    ]:
        pairs += [
            ColourPair(f"text in {box}", "text", background, body, False),
            ColourPair(f"links in {box}", "link", background, body, False),
            ColourPair(f"list bullets and numbers in {box}", "brand", background, body, False),
        ]
    return pairs


class StyleProblem(NamedTuple):
    message: str
    key_path: str  # where in the style file to fix it
    hint: str = ""
    enforced: bool = False  # an error even in a build (type below the audience's minimum size)


# Each size of the type scale, and the style setting it comes from (the rest follow the body size).
SIZE_SETTINGS = {"footer": "footer_size", "title": "title_size", "headings": "heading_size"}


def smallest_size(audience: str, style: AudienceStyle) -> float:
    """The smallest type an audience's leaflets may use: its style's min_size, and 12 pt for patients."""
    return max(style.min_size, CLEAR_PRINT_MINIMUM if audience == "patient" else 0.0)


def small_type(audience: str, style: AudienceStyle) -> list[tuple[str, float]]:
    """(name in the type scale, size) for every size below the audience's smallest; every text in the PDF
    takes its size from this scale (core/page.py)."""
    floor = smallest_size(audience, style)
    sizes = type_scale(style)
    found = []
    for name, value in vars(sizes).items():
        size = min(value) if isinstance(value, tuple) else value
        if size < floor - 1e-9:
            found.append((name, size))
    return found


def style_problems(theme: Theme, audiences: list[str]) -> list[StyleProblem]:
    """Colour pairs below WCAG AA contrast, and a patient body size below 12 pt."""
    problems: list[StyleProblem] = []
    seen: set[tuple[str, str, bool]] = set()
    for audience in audiences:
        for pair in colour_pairs(theme, audience):
            ratio = contrast_ratio(resolve(theme, pair.foreground), resolve(theme, pair.background))
            key = (pair.foreground, pair.background, pair.large)
            if ratio >= pair.required or key in seen:
                continue
            seen.add(key)  # the same pair fails once, not once per audience
            background = pair.background.removeprefix("tint:")
            if pair.background.startswith("tint:"):
                shown = f"a light tint of {background} {theme.colours[background]}"
            else:
                shown = f"{background} {theme.colours.get(background, '#FFFFFF')}"
            foreground = f"{pair.foreground} {theme.colours.get(pair.foreground, '#FFFFFF')}"
            weight = " bold" if pair.bold else ""
            size = f"{'large' if pair.large else 'normal'} text, {round(pair.size, 1):g} pt{weight}"
            problems.append(
                StyleProblem(
                    f"contrast of {foreground} on {shown} is {ratio:.2f}:1 ({pair.where}, {size}); "
                    f"WCAG AA needs {pair.required:g}:1",
                    f"colours.{pair.foreground if pair.foreground != 'white' else background}",
                    "choose colours further apart in lightness",
                )
            )
    for audience in audiences:
        style = theme.for_audience(audience)
        floor = smallest_size(audience, style)
        rule = " (RNIB Clear Print)" if audience == "patient" and floor == CLEAR_PRINT_MINIMUM else ""
        for name, points in small_type(audience, style):
            setting = SIZE_SETTINGS.get(name, "body_size")
            what = "body" if setting == "body_size" and name == "body" else name.replace("_", " ")
            problems.append(
                StyleProblem(
                    f"{audience} {what} size {round(points, 2):g} pt is below the {audience} minimum of {floor:g} pt"
                    f"{rule}",
                    f"audiences.{audience}.{setting}",
                    f"use {floor:g} pt or more" + (" (14 pt recommended)" if rule and name == "body" else ""),
                    enforced=True,
                )
            )
            break  # one finding per audience: raising the setting named fixes the rest with it
    return problems
