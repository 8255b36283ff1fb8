"""Vetting in the Django admin (PRODUCT §3): every decision goes through services.creator_set_status."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.vetting import VettingStatus

from .models import Creator, PortfolioItem, RateCardEntry, SocialAccount, VettingDecision
from .services import CreatorError, creator_recompute_audience, creator_refresh_search, creator_set_status


class PlatformFilter(admin.SimpleListFilter):
    title = _("platform")
    parameter_name = "platform"

    def lookups(self, request, model_admin):
        from .models import Platform

        return Platform.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                Exists(SocialAccount.objects.filter(creator_id=OuterRef("pk"), platform=self.value()))
            )
        return queryset


class CountryFilter(admin.SimpleListFilter):
    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        countries = Creator.objects.exclude(country="").order_by("country").values_list("country", flat=True).distinct()
        return [(c, c) for c in countries[:60]]

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


class SocialAccountInline(admin.TabularInline):
    model = SocialAccount
    extra = 0
    fields = ("platform", "handle", "verified", "followers", "engagement_rate", "tier", "refresh_status",
              "last_refreshed_at", "snapshots_link")
    readonly_fields = ("followers", "engagement_rate", "tier", "refresh_status", "last_refreshed_at", "snapshots_link")
    show_change_link = True

    @admin.display(description=_("snapshots"))
    def snapshots_link(self, obj):
        if not obj.pk:
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("admin:creators_socialaccount_change", args=[obj.pk]),
                           _("history"))


class VettingDecisionInline(admin.TabularInline):
    model = VettingDecision
    extra = 0
    can_delete = False
    fields = ("created_at", "actor", "from_status", "to_status", "reason")
    readonly_fields = fields
    verbose_name_plural = _("vetting decisions")

    def has_add_permission(self, request, obj=None):
        return False


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}), label=_("Reason (sent to the creator)"),
                             max_length=1000)


@admin.register(Creator)
class CreatorAdmin(admin.ModelAdmin):
    list_display = ("display_name", "handle", "status", "tier", "followers", "engagement_rate", "country", "created_at")
    list_filter = ("status", "tier", PlatformFilter, CountryFilter)
    search_fields = ("display_name", "handle", "user__email", "accounts__handle")
    readonly_fields = ("status", "status_reason", "tier", "followers", "engagement_rate", "created_at", "updated_at",
                       "avatar_preview")
    fields = ("user", "display_name", "handle", "bio", "country", "languages", "niches", "content_formats",
              "avatar_preview", "status", "status_reason", "tier", "followers", "engagement_rate", "created_at",
              "updated_at")
    raw_id_fields = ("user",)
    filter_horizontal = ("niches",)
    inlines = [SocialAccountInline, VettingDecisionInline]
    actions = ["approve", "reject", "suspend"]
    list_select_related = ("user",)
    show_full_result_count = False  # no exact COUNT over a big table on every page

    @admin.display(description=_("avatar"))
    def avatar_preview(self, obj):
        if not obj.avatar_thumb:
            return "–"
        return format_html('<img src="{}" width="96" height="96" alt="">', obj.avatar_thumb.url)

    def save_related(self, request, form, formsets, change):
        # Accounts edited inline and niches changed here feed derived fields: keep them true.
        super().save_related(request, form, formsets, change)
        creator_recompute_audience(creator_ids=[form.instance.pk])
        creator_refresh_search(creator_ids=[form.instance.pk])

    def _decide(self, request, queryset, status: str, reason: str = ""):
        done, refused = 0, []
        for creator in queryset:
            try:
                creator_set_status(creator=creator, status=status, reason=reason, actor=request.user)
            except CreatorError as exc:
                refused.append(str(exc))
            else:
                done += 1
        if done:
            self.message_user(request, _("%(n)d creator(s) now %(status)s; each was emailed.")
                              % {"n": done, "status": VettingStatus(status).label}, messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description=_("Approve selected creators"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, VettingStatus.APPROVED)

    def _with_reason(self, request, queryset, status: str, title: str):
        if "apply" in request.POST:
            form = ReasonForm(request.POST)
            if form.is_valid():
                self._decide(request, queryset, status, form.cleaned_data["reason"])
                return None
        else:
            form = ReasonForm()
        return render(request, "admin/creators/creator/reason.html", {
            **self.admin_site.each_context(request),
            "title": title, "form": form, "creators": queryset, "action": request.POST.get("action"),
            "opts": self.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })

    @admin.action(description=_("Reject selected creators (with a reason)"), permissions=["change"])
    def reject(self, request, queryset):
        return self._with_reason(request, queryset, VettingStatus.REJECTED, _("Reject creators"))

    @admin.action(description=_("Suspend selected creators (with a reason)"), permissions=["change"])
    def suspend(self, request, queryset):
        return self._with_reason(request, queryset, VettingStatus.SUSPENDED, _("Suspend creators"))


@admin.register(VettingDecision)
class VettingDecisionAdmin(admin.ModelAdmin):
    list_display = ("creator", "from_status", "to_status", "actor", "created_at")
    list_filter = ("to_status",)
    search_fields = ("creator__handle", "reason")
    list_select_related = ("creator", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(RateCardEntry, list_display=("creator", "platform", "deliverable", "price", "currency"),
                    raw_id_fields=("creator",), list_select_related=("creator",))
admin.site.register(PortfolioItem, list_display=("creator", "caption", "url"), raw_id_fields=("creator",))
