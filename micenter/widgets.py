"""Form widgets the project shares."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A plain <select> written in Python. Django's own renders one template per option, which
    for the 250 countries cost the desk most of its page; the markup is the same."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True

        def options(choices):
            return format_html_join(
                "",
                "{}",
                (
                    (
                        format_html('<optgroup label="{}">{}</optgroup>', key, options(label))
                        if isinstance(label, list | tuple)
                        else format_html(
                            '<option value="{}"{}>{}</option>',
                            "" if key is None else key,
                            mark_safe(" selected") if str(key) in chosen else "",
                            label,
                        ),
                    )
                    for key, label in choices
                ),
            )

        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(attrs), options(self.choices)
        )
