"""The web page's colours: the theme's own in light mode, and a dark set derived from them that meets WCAG AA."""

from __future__ import annotations

from ..core.page import NOTICE_COLOURS
from ..core.theme import AA_NORMAL, TONES, contrast_ratio, hex_rgb, tint

RGB = tuple[float, float, float]

FOCUS = "#FFEB3B"  # keyboard focus: the theme's text colour on yellow, as on NHS and GOV.UK pages

# Dark mode: a near-black page and light text; boxes are the tone's colour faintly over the page, and each
# coloured text is lightened until it meets AA on every dark background it is drawn on.
DARK_PAGE = "#111417"
DARK_TEXT = "#F0F4F5"
DARK_BOX_STRENGTH = 0.22  # how much of the box colour shows over the dark page
LIGHTEN_STEP = 0.04


def _hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02X}" for c in rgb)


def _mix(colour: RGB, other: RGB, amount: float) -> RGB:
    """colour with amount (0 to 1) of other mixed in."""
    return (
        colour[0] + (other[0] - colour[0]) * amount,
        colour[1] + (other[1] - colour[1]) * amount,
        colour[2] + (other[2] - colour[2]) * amount,
    )


def _readable_on(colour: RGB, backgrounds: list[RGB]) -> RGB:
    """colour, mixed with white in small steps until it reaches AA_NORMAL on every background: every coloured text
    on the page is held to it, whatever its size."""
    white = (1.0, 1.0, 1.0)
    amount = 0.0
    candidate = colour
    while amount < 1 and min(contrast_ratio(candidate, b) for b in backgrounds) < AA_NORMAL:
        amount = min(1.0, amount + LIGHTEN_STEP)
        candidate = _mix(colour, white, amount)
    return candidate


def _solid(colours: dict[str, str]) -> dict[str, str]:
    """The colours of the header band and the review notice, the same in light and dark mode."""
    notice_text, notice = NOTICE_COLOURS
    return {
        "band": colours["brand"],
        "on-band": colours["on_brand"],
        "notice": colours[notice],
        "notice-text": "#FFFFFF" if notice_text == "white" else colours[notice_text],
    }


def light(colours: dict[str, str]) -> dict[str, str]:
    """CSS custom properties for light mode: the style's colours, as checked for the PDF by `leaflet check`."""
    values = {name.replace("_", "-"): value for name, value in colours.items()} | _solid(colours)
    for tone in TONES:
        values[f"{tone}-tint"] = _hex(tint(colours[tone]))
    values["focus"] = FOCUS
    values["focus-text"] = colours["text"]
    return values


def dark(colours: dict[str, str]) -> dict[str, str]:
    """CSS custom properties for dark mode (prefers-color-scheme: dark), derived from the style's colours.

    The header band and the review notice keep their colours: they are solid and already checked. Everything on
    the page itself is recomputed so that text meets WCAG AA on the dark page and on every dark box.
    """
    page = hex_rgb(DARK_PAGE)
    boxes = {"panel": _mix(page, hex_rgb(colours["brand"]), DARK_BOX_STRENGTH)}
    for tone in TONES:
        boxes[f"{tone}-tint"] = _mix(page, hex_rgb(colours[tone]), DARK_BOX_STRENGTH)
    backgrounds = [page, *boxes.values()]
    values = {name.replace("_", "-"): value for name, value in colours.items()} | _solid(colours)
    values["background"] = DARK_PAGE
    values["text"] = _hex(_readable_on(hex_rgb(DARK_TEXT), backgrounds))
    values.update({name: _hex(rgb) for name, rgb in boxes.items()})
    for name in ("heading", "link", "muted", "brand", *TONES):
        values[name] = _hex(_readable_on(hex_rgb(colours[name]), backgrounds))
    values["focus"] = FOCUS
    values["focus-text"] = DARK_PAGE
    return values


def custom_properties(values: dict[str, str]) -> str:
    """`--name: value;` for each colour, on one line per colour."""
    return "\n".join(f"  --{name}: {value};" for name, value in sorted(values.items()))
