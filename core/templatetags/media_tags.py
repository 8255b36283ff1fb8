"""``{% media_url obj.field %}``: the one way templates print the URL of a user file (see core/media.py)."""

from django import template

from core.media import media_url as _media_url

register = template.Library()


@register.simple_tag(takes_context=True)
def media_url(context, fieldfile) -> str:
    request = context.get("request")
    return _media_url(fieldfile, getattr(request, "user", None))
