"""``{% load numbers %}``: the template face of core/formatting.py (one way to write a number)."""

from django import template

from core import formatting

register = template.Library()

register.filter("percent", formatting.percent)
register.filter("count", formatting.count)
register.filter("compact", formatting.compact)
register.filter("followers", formatting.followers)
register.filter("followers_compact", formatting.followers_compact)
register.filter("since", formatting.since)
register.filter("reach", formatting.reach)
register.filter("reach_compact", formatting.reach_compact)
