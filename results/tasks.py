"""Thin Celery wrappers (schedules in marketplace/celery.py)."""

from celery import shared_task

from . import clicks


@shared_task
def flush_clicks() -> int:
    """Redis click counters → ClickDay, one INSERT … ON CONFLICT per run (results/clicks.py)."""
    return clicks.flush()
