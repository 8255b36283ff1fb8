"""The audit log in the admin: read-only, one list for everything, and an inline for any audited model."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _

from core.admin_scale import LargeListAdmin

from .models import AuditEntry


class AuditEntryInline(GenericTabularInline):
    """The object's history on its change page (who, when, from, to, note); actors joined in the one query."""

    model = AuditEntry
    ct_field, ct_fk_field = "target_type", "target_id"
    extra = 0
    can_delete = False
    fields = ("at", "actor", "action", "from_state", "to_state", "note")
    readonly_fields = fields
    verbose_name_plural = _("history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(LargeListAdmin, admin.ModelAdmin):
    list_display = ("at", "target_type", "target_id", "action", "from_state", "to_state", "actor")
    list_filter = ("action", "target_type", "to_state")
    search_fields = ("note", "actor__email")
    list_select_related = ("actor", "target_type")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
