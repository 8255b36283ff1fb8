"""The vetting queue on the admin home and the expected review time on pending accounts' pages."""

from django import template

from marketplace.vetting_queue import expected_review_text, pending_queues

register = template.Library()


@register.inclusion_tag("admin/_vetting_queue.html")
def vetting_queue() -> dict:
    queues = pending_queues()
    return {"queues": queues, "waiting": sum(q.count for q in queues)}


@register.simple_tag
def expected_review() -> str:
    return expected_review_text()
