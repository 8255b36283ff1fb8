"""Brand vetting in the Django admin: approve, reject (with a reason) or suspend, singly or in bulk,
through brands.services.brands_set_status so every decision is recorded and emailed."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core.vetting import VettingStatus

from .forms import VettingReasonForm
from .models import Brand, BrandInvitation, BrandMember, BrandVettingDecision
from .services import BrandError, brands_set_status


class BrandMemberInline(admin.TabularInline):
    model = BrandMember
    extra = 0
    raw_id_fields = ("user",)


class VettingDecisionInline(admin.TabularInline):
    model = BrandVettingDecision
    extra = 0
    can_delete = False
    fields = ("at", "actor", "from_status", "to_status", "reason")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _decide(modeladmin, request, queryset, status):
    reason = ""
    if status != VettingStatus.APPROVED:
        form = VettingReasonForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(request, "admin/brands/vetting_reason.html", {
                **modeladmin.admin_site.each_context(request), "title": _("Give a reason"), "form": form,
                "brands": queryset, "action": request.POST.get("action"), "status": VettingStatus(status).label,
                "opts": modeladmin.model._meta, "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            })
        reason = form.cleaned_data["reason"]
    try:
        changed = brands_set_status(brand_ids=queryset.values_list("pk", flat=True), actor=request.user,
                                    status=status, reason=reason)
    except BrandError as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return None
    modeladmin.message_user(request, _("%(n)s brand(s) now %(s)s.") % {"n": len(changed), "s": VettingStatus(status).label})
    return None


@admin.action(description=_("Approve selected brands"))
def approve(modeladmin, request, queryset):
    return _decide(modeladmin, request, queryset, VettingStatus.APPROVED)


@admin.action(description=_("Reject selected brands (with a reason)"))
def reject(modeladmin, request, queryset):
    return _decide(modeladmin, request, queryset, VettingStatus.REJECTED)


@admin.action(description=_("Suspend selected brands (with a reason)"))
def suspend(modeladmin, request, queryset):
    return _decide(modeladmin, request, queryset, VettingStatus.SUSPENDED)


class IndustryFilter(admin.SimpleListFilter):
    """Industries as typed, and "Not given" for a blank one (Django's default shows that one as an empty link)."""

    title = _("industry")
    parameter_name = "industry"
    NOT_GIVEN = "-"

    def lookups(self, request, model_admin):
        typed = Brand.objects.exclude(industry="").order_by("industry").values_list("industry", flat=True).distinct()
        return [(i, i) for i in typed] + [(self.NOT_GIVEN, _("Not given"))]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(industry="" if self.value() == self.NOT_GIVEN else self.value())


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "industry", "status", "created_at")
    list_filter = ("status", IndustryFilter)
    search_fields = ("name", "website", "members__user__email")
    readonly_fields = ("status", "status_reason", "created_at")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [BrandMemberInline, VettingDecisionInline]
    actions = [approve, reject, suspend]


@admin.register(BrandInvitation)
class BrandInvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "brand", "created_at", "accepted_at")
    readonly_fields = ("token",)
    list_filter = ("accepted_at",)
