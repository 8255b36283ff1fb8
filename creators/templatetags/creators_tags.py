import math

from django import template

register = template.Library()


@register.filter
def compact(value):
    """12345 -> 12.3K; None -> an en dash."""
    if value is None or value == "":
        return "–"
    return compact_number(value)


def compact_number(value) -> str:
    """Rounded down, so 9,999 (nano) never shows as "10K", the start of micro."""
    n = float(value)
    for bound, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if n >= bound:
            text = f"{math.floor(n / bound * 10) / 10:.1f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{int(n)}"


@register.filter
def percent(value):
    if value is None:
        return "–"
    return f"{float(value):.2f}".rstrip("0").rstrip(".") + " %"


@register.filter
def host(url):
    """https://www.instagram.com/p/x/ -> instagram.com"""
    from urllib.parse import urlparse

    name = urlparse(url or "").hostname or ""
    return name.removeprefix("www.")


@register.simple_tag(takes_context=True)
def card_controls(context, creator):
    """The controls other apps add to a creator's card (creators/cards.py), e.g. campaigns' "Invite to…"."""
    from creators.cards import render_controls

    return render_controls(context, creator)
