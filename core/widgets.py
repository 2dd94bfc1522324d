"""Form widgets the project shares."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language


def _options(choices, chosen, marked=None):
    """The <option>s (and <optgroup>s) of `choices`. A value listed twice (a country among
    the most common and again among all) is marked selected once, the first time."""
    marked = set() if marked is None else marked

    def option(key, label):
        value = "" if key is None else str(key)
        selected = value in chosen and value not in marked
        if selected:
            marked.add(value)
        return format_html(
            '<option value="{}"{}>{}</option>',
            value,
            mark_safe(" selected") if selected else "",
            label,
        )

    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    '<optgroup label="{}">{}</optgroup>', key, _options(label, chosen, marked)
                )
                if isinstance(label, list | tuple)
                else option(key, label),
            )
            for key, label in choices
        ),
    )


class QuickSelect(forms.Select):
    """A plain <select> written in Python. Django's own renders one template per option, which
    for the 250 countries cost the desk most of its page; the markup is the same.

    `memo` names a fixed list of choices (the countries): its options with nothing chosen are
    then written once per language and process, not on every page."""

    _memo: dict = {}

    def __init__(self, attrs=None, choices=(), memo: str | None = None):
        super().__init__(attrs, choices)
        self.memo = memo

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        if self.memo and chosen <= {""}:
            key = (self.memo, get_language(), frozenset(chosen))
            options = self._memo.get(key)
            if options is None:
                options = self._memo[key] = _options(self.choices, chosen)
        else:
            options = _options(self.choices, chosen)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)
