from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reports.figures import PERIOD_NAMES, named_period
from reports.models import PERIOD_DAY
from reports.services import period_check


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_NAMES, initial="last_centre_year")
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        validators=[PERIOD_DAY],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        validators=[PERIOD_DAY],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    publication = forms.BooleanField(
        label=_("For publication (hide counts under 5)"), required=False
    )

    def clean(self):
        data = super().clean()
        if self.has_error("date_from") or self.has_error("date_to"):
            return data  # each says what is wrong with it
        if data.get("period") == "custom":
            if not data.get("date_from") or not data.get("date_to"):
                raise ValidationError(_("Give both dates of the period."))
            data["range"] = period_check(data["date_from"], data["date_to"])
        elif data.get("period"):
            data["range"] = named_period(data["period"])
        return data


class DownloadForm(PeriodForm):
    fmt = forms.ChoiceField(
        label=_("Format"), choices=[("pdf", "PDF"), ("xlsx", "Excel"), ("csv", "CSV")]
    )
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)
