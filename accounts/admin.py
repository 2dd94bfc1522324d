from django.contrib import admin

from accounts.forms import NO_ROLE, AccountChangeForm, StaffAccountCreateForm
from accounts.models import User
from accounts.services import account_role_set, staff_account_create


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Accounts are made and given roles here, through the same services as everywhere."""

    list_display = ["email", "first_name", "last_name", "language", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "language"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["email"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = AccountChangeForm if obj is not None else StaffAccountCreateForm
        kwargs["fields"] = None
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        form = self.get_form(request, obj)
        return [(None, {"fields": list(form.base_fields)})]

    def save_model(self, request, obj, form, change):
        if not change:
            created = staff_account_create(
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                language=form.cleaned_data["language"],
                created_by=request.user,
                request=request,
            )
            obj.pk = created.pk
            return
        obj.save()
        role = form.cleaned_data["role"] or None
        current = obj.role_codes[0] if obj.role_codes else NO_ROLE
        if (role or NO_ROLE) != current:
            account_role_set(user=obj, role=role, changed_by=request.user, request=request)

    def save_related(self, request, form, formsets, change):
        # Roles are set by the services above; the form has no many-to-many fields.
        pass

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: the audit log points at them.
        return False
