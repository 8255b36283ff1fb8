"""Brands in the Django admin; vetting (PRODUCT §3) through the shared mixin (core.vetting_admin)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditEntryInline
from core.vetting_admin import VettingAdminMixin

from .models import Brand, BrandInvitation, BrandMember


class BrandMemberInline(admin.TabularInline):
    model = BrandMember
    extra = 0
    raw_id_fields = ("user",)


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
class BrandAdmin(VettingAdminMixin, admin.ModelAdmin):
    vetting_reason_label = _("Reason (the brand's team sees it)")
    list_display = ("name", "industry", "status", "created_at")
    list_filter = ("status", IndustryFilter)
    search_fields = ("name", "website", "members__user__email")
    readonly_fields = ("status", "status_reason", "created_at")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [BrandMemberInline, AuditEntryInline]


@admin.register(BrandInvitation)
class BrandInvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "brand", "created_at", "accepted_at")
    readonly_fields = ("token",)
    list_filter = ("accepted_at",)
