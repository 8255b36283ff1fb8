"""The Celery app and the one place where periodic schedules are declared."""

import os

from celery import Celery, Task
from celery.schedules import crontab
from celery.utils import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")


class TransactionAwareTask(Task):
    """``delay()``/``apply_async()`` inside a transaction queue the task only after commit.

    A task queued before commit may run before its rows exist, or after a
    rollback for rows that never will (pretix's TransactionAwareTask does the same).
    """

    def apply_async(self, args=None, kwargs=None, task_id=None, **options):
        from django.db import transaction

        connection = transaction.get_connection()
        if connection.in_atomic_block and not self.app.conf.task_always_eager:
            # Fix the id now so the caller still gets a usable AsyncResult.
            task_id = task_id or uuid()
            parent = super()
            transaction.on_commit(lambda: parent.apply_async(args, kwargs, task_id=task_id, **options))
            return self.AsyncResult(task_id)
        return super().apply_async(args, kwargs, task_id=task_id, **options)


app = Celery("marketplace", task_cls=TransactionAwareTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic task of the product, in one place. Entries name tasks by their
# dotted path so this module imports no app code.
app.conf.beat_schedule = {
    "marketplace-heartbeat": {
        "task": "marketplace.tasks.heartbeat",
        "schedule": 60.0,
    },
    # Statistics: queue batches of stale accounts (stats/schedule.py: due_account_ids).
    "stats-schedule-stale-refreshes": {
        "task": "stats.tasks.schedule_stale_refreshes",
        "schedule": 60.0,
    },
    # Followed posts (issue 11, stats/post_refresh.py): daily for 30 days after first seen, weekly to 90, then never.
    "stats-schedule-post-refreshes": {
        "task": "stats.tasks.schedule_post_refreshes",
        "schedule": crontab(minute=50),  # hourly: a post first seen late in the day still gets that day's snapshot
    },
    # Audience demographics of connected accounts (issue 11, stats/demographics.py): due every 28 days.
    "stats-schedule-demographics": {
        "task": "stats.tasks.schedule_demographics",
        "schedule": crontab(hour=4, minute=15),  # daily
    },
    # Vetting: one digest a day to the staff while creators or brands wait (core/vetting_queue.py).
    "marketplace-vetting-digest": {
        "task": "marketplace.tasks.send_vetting_digest",
        "schedule": crontab(hour=8, minute=0),
    },
    "campaigns-close-expired": {
        "task": "campaigns.tasks.close_expired_campaigns",
        "schedule": crontab(minute=5),  # hourly; deadlines are dates, so the first run after midnight closes them
    },
    # Reminders (campaigns/services/reminders.py): each sent once, whatever the number of ticks that see it due.
    "campaigns-send-reminders": {
        "task": "campaigns.tasks.send_reminders",
        "schedule": crontab(minute=20),  # hourly
    },
    # Auto-approval (campaigns/services/auto_approval.py): drafts unreviewed for N business days; payments releases.
    "campaigns-auto-approve-drafts": {
        "task": "campaigns.tasks.auto_approve_drafts",
        "schedule": crontab(minute=40),  # hourly, after the reminders
    },
    # Verified accounts (marketplace/oauth.py): renew OAuth access tokens before they expire.
    "marketplace-renew-oauth-tokens": {
        "task": "marketplace.tasks.renew_oauth_tokens",
        "schedule": crontab(minute=50),  # hourly; TikTok's access tokens last 24 h
    },
    # Payments: released money waiting for the creator's payout account (payments/services.py), once per funding.
    "payments-remind-payout-accounts": {
        "task": "payments.tasks.remind_payout_accounts",
        "schedule": crontab(hour=9, minute=10),  # daily
    },
    # Payments: Stripe's transfers per application vs the ledger (payments/reconcile.py); reports, never fixes.
    "payments-reconcile-transfers": {
        "task": "payments.tasks.reconcile_transfers",
        "schedule": crontab(minute=50),  # hourly
    },
    # Results: click counters in Redis → ClickDay, one INSERT … ON CONFLICT per run (results/clicks.py).
    "results-flush-clicks": {
        "task": "results.tasks.flush_clicks",
        "schedule": 60.0,
    },
}
