from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role

NO_ROLE = ""


class StaffAccountCreateForm(forms.ModelForm):
    """The administrator's form for a new staff account; the person sets their own password."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "language"]


class AccountChangeForm(forms.ModelForm):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(NO_ROLE, _("Visitor (no staff role)")), *Role.choices],
        required=False,
    )

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "language", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            codes = self.instance.role_codes
            self.fields["role"].initial = codes[0] if codes else NO_ROLE
        self.fields["language"].choices = settings.LANGUAGES
