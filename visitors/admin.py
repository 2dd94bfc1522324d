from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from visitors.models import LegalStatus

# Visitors and visits are deliberately not in the admin: personal data is read only through
# the desk's pages, which are permission-scoped and audited.


@admin.register(LegalStatus)
class LegalStatusAdmin(TranslationAdmin):
    list_display = ["name", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False
