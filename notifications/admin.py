from django.contrib import admin

from notifications.models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Delivery status only: message bodies may hold personal data and are not shown."""

    list_display = [
        "created_at",
        "recipient",
        "subject",
        "language",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "language"]
    search_fields = ["recipient"]
    fields = [
        "created_at",
        "recipient",
        "subject",
        "language",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
