"""The project's form renderer writes the common form templates in Python: it must give the
same HTML as Django's own templates, for every kind of field, bound or not, with errors, help
text and field sets, and for every form of the project that can be made without arguments."""

import importlib
import inspect
import re

import pytest
from django import forms
from django.apps import apps
from django.forms.renderers import DjangoTemplates

from core.form_renderer import FormRenderer

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _same_html(html: str) -> str:
    """What a browser shows alike: runs of white space are one, and none between tags (and
    a form's one-time submission key is new in each rendering)."""
    html = _UUID.sub("uuid", str(html))
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _both_ways(form_factory):
    rendered = []
    for renderer in (DjangoTemplates(), FormRenderer()):
        form = form_factory()
        form.renderer = renderer
        rendered.append(
            "".join(
                [str(form.non_field_errors())]
                + [str(field) for field in form.hidden_fields()]
                + [field.as_field_group() for field in form.visible_fields()]
            )
        )
    return rendered


class EveryKind(forms.Form):
    text = forms.CharField(label="Name <b>", help_text="Help & <i>more</i>", max_length=10)
    number = forms.IntegerField(min_value=1)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False)
    password = forms.CharField(widget=forms.PasswordInput, required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    moment = forms.DateTimeField(required=False)
    time = forms.TimeField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    tick = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    many = forms.MultipleChoiceField(
        choices=[("a", "A & a"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
    one = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)
    pick = forms.ChoiceField(
        choices=[("", "—"), ("Group", [("g1", "One"), ("g2", "Two")]), ("z", "Zed")],
        required=False,
    )
    picks = forms.MultipleChoiceField(choices=[("1", "1"), ("2", "2")], required=False)

    def clean(self):
        raise forms.ValidationError("Something <wrong> with the whole form.")


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {
            "text": "far too long <script>",
            "number": "-3",
            "email": "not an email",
            "note": "line one\n<b>two</b>",
            "many": ["a", "nope"],
            "one": "y",
            "pick": "g2",
            "picks": ["1", "2"],
            "tick": "on",
            "hidden": 'a "quote"',
            "date": "2026-02-30",
        },
    ],
)
def test_every_kind_of_field_renders_as_django_renders_it(data):
    django, ours = _both_ways(lambda: EveryKind(data))
    assert _same_html(ours) == _same_html(django)


def _project_forms():
    for config in apps.get_app_configs():
        if "site-packages" in config.path:  # ours only (the virtualenv may sit inside)
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, form_class in inspect.getmembers(module, inspect.isclass):
            if issubclass(form_class, forms.BaseForm) and form_class.__module__ == module.__name__:
                yield form_class


@pytest.mark.django_db
def test_the_projects_forms_render_as_django_renders_them():
    compared = 0
    for form_class in _project_forms():
        try:
            form_class()
        except TypeError:
            continue  # forms that need an event, a service or a user to be made
        django, ours = _both_ways(form_class)
        assert _same_html(ours) == _same_html(django), form_class
        bound_django, bound_ours = _both_ways(lambda form_class=form_class: form_class({}))
        assert _same_html(bound_ours) == _same_html(bound_django), form_class
        compared += 1
    assert compared >= 10
