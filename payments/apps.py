from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from campaigns import hooks

        from . import documents, listeners, reputation
        from .models import LedgerTransaction

        hooks.register("application_accepted", listeners.on_application_accepted)
        hooks.register("deliverable_approved", listeners.on_deliverable_approved)
        hooks.register("application_ended", listeners.on_application_ended)
        hooks.register_money_status(listeners.money_status)
        hooks.register_campaign_money(listeners.campaign_money)
        hooks.register_brand_scores(reputation.payout_time_scores)
        post_save.connect(documents.on_movement, sender=LedgerTransaction, dispatch_uid="payments-documents")
