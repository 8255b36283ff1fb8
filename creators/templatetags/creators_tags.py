from django import template

from core import formatting

register = template.Library()


# The number filters live in marketplace/templatetags/numbers.py; kept here for templates that load only these tags.
register.filter("compact", formatting.compact)
register.filter("percent", formatting.percent)
compact = formatting.compact
compact_number = formatting.compact


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
