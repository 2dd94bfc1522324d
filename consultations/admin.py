from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from consultations.models import BreakGlassGrant, Consultation, PartnerOrganisation, Service, Topic
from consultations.selectors import consultation_records, consultations_readable_in_full


class NoDelete:
    # Past consultations point at services, topics and partners: retire them, do not delete.
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Service)
class ServiceAdmin(NoDelete, TranslationAdmin):
    list_display = ["name", "code", "gives_consultations", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(Topic)
class TopicAdmin(NoDelete, TranslationAdmin):
    list_display = ["name", "service", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["service"]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(NoDelete, TranslationAdmin):
    list_display = ["name", "services", "languages", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    """Administrators configure; they do not read records. Only records opened through
    break-glass access appear here, through the same selector as every page, and each
    one opened is audited."""

    list_display = ["started_at", "service", "consultant"]
    fields = [
        "service",
        "topics",
        "consultant",
        "started_at",
        "duration_minutes",
        "mode",
        "language",
        "interpreter",
        "outcome",
        "notes",
        "follow_up_on",
        "is_group",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return consultations_readable_in_full(request.user).select_related("service", "consultant")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("accounts.administer_centre")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # The list shows records (date, service, consultant): each one shown is a read.
        response = super().changelist_view(request, extra_context)
        shown = getattr(response, "context_data", {}).get("cl")
        if shown is not None:
            rows = (
                self.get_queryset(request)
                .filter(pk__in=[obj.pk for obj in shown.result_list])
                .prefetch_related("participants")
            )
            consultation_records(user=request.user, consultations=rows, request=request)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        rows = self.get_queryset(request).filter(pk=object_id).prefetch_related("participants")
        consultation_records(user=request.user, consultations=rows, request=request)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(BreakGlassGrant)
class BreakGlassGrantAdmin(admin.ModelAdmin):
    list_display = ["granted_at", "user", "visitor_id", "reason", "expires_at"]
    fields = ["user", "visitor_id", "reason", "granted_at", "expires_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
