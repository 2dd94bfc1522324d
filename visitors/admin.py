from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from visitors.erasure import erasure_decide
from visitors.models import ErasureRequest, LegalStatus, PrivacySettings

# Visitors and visits are deliberately not in the admin: personal data is read only through
# the desk's pages, which are permission-scoped and audited.


@admin.register(LegalStatus)
class LegalStatusAdmin(TranslationAdmin):
    list_display = ["name", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PrivacySettings)
class PrivacySettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "retention_months"]

    def has_add_permission(self, request):
        return not PrivacySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    """Administrators decide requests; they see the record number, never the person."""

    list_display = ["requested_at", "record", "status", "decided_at", "decided_by"]
    list_filter = ["status"]
    fields = ["record", "requested_at", "status", "decided_at", "decided_by"]
    readonly_fields = fields
    actions = ["approve", "reject"]

    @admin.display(description=_("record"))
    def record(self, obj):
        return f"#{obj.visitor_id}"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Approve: erase these people now"), permissions=["change"])
    def approve(self, request, queryset):
        for erasure in queryset:
            erasure_decide(erasure=erasure, approve=True, decided_by=request.user, request=request)
        self.message_user(request, _("Erased."))

    @admin.action(description=_("Reject these requests"), permissions=["change"])
    def reject(self, request, queryset):
        for erasure in queryset:
            erasure_decide(erasure=erasure, approve=False, decided_by=request.user, request=request)
        self.message_user(request, _("Rejected."))
