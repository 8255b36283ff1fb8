"""One admin mixin for vetting (PRODUCT §3): approve, reject or suspend, singly or in bulk, through
``core.vetting.vet``. Reject and suspend ask for the reason first; objects that cannot make the move are
skipped, each with its message."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .vetting import VettingError, VettingStatus, vet


class VettingReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}), max_length=1000)

    def __init__(self, *args, label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label


class VettingAdminMixin:
    """Mix into a ModelAdmin of a vetted model; set ``vetting_reason_label`` (who reads the reason)."""

    vetting_reason_label = _("Reason (sent to the account holder)")
    actions = ["approve", "reject", "suspend"]

    def _vet(self, request, queryset, status: str, reason: str = ""):
        try:
            outcome = vet(list(queryset), status, by=request.user, reason=reason)
        except VettingError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        if outcome.done:
            self.message_user(
                request,
                _("%(n)d %(things)s now %(status)s; each was emailed.")
                % {
                    "n": len(outcome.done),
                    "things": self.model._meta.verbose_name_plural,
                    "status": VettingStatus(status).label,
                },
                messages.SUCCESS,
            )
        for message in outcome.skipped:
            self.message_user(request, message, messages.WARNING)
        return

    def _with_reason(self, request, queryset, status: str):
        if "reason" in request.POST:
            form = VettingReasonForm(request.POST, label=self.vetting_reason_label)
            if form.is_valid():
                return self._vet(request, queryset, status, form.cleaned_data["reason"])
        else:
            form = VettingReasonForm(label=self.vetting_reason_label)
        return TemplateResponse(
            request,
            "admin/core/vetting_reason.html",
            {
                **self.admin_site.each_context(request),
                "title": _("%(action)s: give a reason") % {"action": VettingStatus(status).label},
                "form": form,
                "objects": queryset,
                "status": VettingStatus(status).label,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Approve selected %(verbose_name_plural)s"), permissions=["change"])
    def approve(self, request, queryset):
        return self._vet(request, queryset, VettingStatus.APPROVED)

    @admin.action(description=_("Reject selected %(verbose_name_plural)s (with a reason)"), permissions=["change"])
    def reject(self, request, queryset):
        return self._with_reason(request, queryset, VettingStatus.REJECTED)

    @admin.action(description=_("Suspend selected %(verbose_name_plural)s (with a reason)"), permissions=["change"])
    def suspend(self, request, queryset):
        return self._with_reason(request, queryset, VettingStatus.SUSPENDED)
