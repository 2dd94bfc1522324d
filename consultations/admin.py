from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from consultations.models import Service


@admin.register(Service)
class ServiceAdmin(TranslationAdmin):
    list_display = ["name", "code", "gives_consultations", "position", "is_active"]
    list_editable = ["position", "is_active"]

    def has_delete_permission(self, request, obj=None):
        # Past visits and consultations point at services: retire one, do not delete it.
        return False
