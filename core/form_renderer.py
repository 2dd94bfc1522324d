"""Django's form renderer, with the templates every form on every page uses written in Python.

Rendering a field through Django's templates (field, label, errors, the widget and its
attributes: five to ten template renders a field) was the largest part of the desk, the
event page and "What's on". These functions give the same HTML as Django's templates (a test
renders every form of the project both ways and compares); any other template, or a project
override of one of these, is rendered by Django as usual."""

from django.forms.renderers import DjangoTemplates
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _input(widget) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _option(widget) -> str:
    """input_option.html (checkbox and radio options)."""
    if not widget.get("wrap_label"):
        return _input(widget)
    target = widget["attrs"].get("id")
    label_for = f' for="{conditional_escape(target)}"' if target else ""
    return f"<label{label_for}>{_input(widget)} {conditional_escape(widget['label'])}</label>"


def _render_option(option) -> str:
    python = _WIDGETS.get(option["template_name"])
    if python is not None:
        return python(option)
    return get_template(option["template_name"]).render({"widget": option})


def _multiple(widget) -> str:
    """multiple_input.html (checkbox_select.html, radio.html)."""
    attrs = widget["attrs"]
    html = ["<div"]
    if attrs.get("id"):
        html.append(f' id="{conditional_escape(attrs["id"])}"')
    if attrs.get("class"):
        html.append(f' class="{conditional_escape(attrs["class"])}"')
    html.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            html.append(f"\n  <div><label>{conditional_escape(group)}</label>")
        for option in options:
            html.append(f"<div>\n    {_render_option(option)}</div>")
        if group:
            html.append("\n  </div>")
    html.append("\n</div>")
    return "".join(html)


def _select(widget) -> str:
    html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            html.append(f"\n  {_render_option(option)}")
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


def _select_option(widget) -> str:
    return (
        f'<option value="{conditional_escape(str(widget["value"]))}"'
        f"{_attrs(widget['attrs'])}>{conditional_escape(widget['label'])}</option>"
    )


def _textarea(widget) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


_INPUTS = ["text", "number", "email", "url", "password", "hidden", "date", "datetime", "time"]
_WIDGETS = {
    **{f"django/forms/widgets/{name}.html": _input for name in [*_INPUTS, "checkbox", "input"]},
    "django/forms/widgets/checkbox_select.html": _multiple,
    "django/forms/widgets/radio.html": _multiple,
    "django/forms/widgets/multiple_input.html": _multiple,
    "django/forms/widgets/checkbox_option.html": _option,
    "django/forms/widgets/radio_option.html": _option,
    "django/forms/widgets/input_option.html": _option,
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/select_option.html": _select_option,
    "django/forms/widgets/textarea.html": _textarea,
}


def _label(context) -> str:
    """label.html (also the legend of a field set)."""
    if not context["use_tag"]:
        return conditional_escape(context["label"])
    tag = context["tag"]
    return f"<{tag}{_attrs(context['attrs'])}>{conditional_escape(context['label'])}</{tag}>"


def _errors(context) -> str:
    """errors/list/ul.html (default.html includes it)."""
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    error_id = f' id="{conditional_escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return f'<ul class="{conditional_escape(context["error_class"])}"{error_id}>{items}</ul>'


def _field(context) -> str:
    """field.html: label (or legend), help text, errors and the widget."""
    field = context["field"]
    html = []
    if field.use_fieldset:
        described = field.aria_describedby
        described_by = f' aria-describedby="{conditional_escape(described)}"' if described else ""
        html.append(f"\n  <fieldset{described_by}>\n  ")
        if field.label:
            html.append(field.legend_tag())
        html.append("\n")
    else:
        html.append("\n  ")
        if field.label:
            html.append(field.label_tag())
        html.append("\n")
    html.append("\n")
    if field.help_text:
        # As in Django's template, help text is not escaped (it is the project's own text).
        help_id = f' id="{conditional_escape(field.auto_id)}_helptext"' if field.auto_id else ""
        html.append(f'<div class="helptext"{help_id}>{field.help_text}</div>')
    html.append(f"\n{field.errors}\n{field}")
    if field.use_fieldset:
        html.append("</fieldset>")
    html.append("\n")
    return "".join(str(part) for part in html)


_PYTHON = {
    "django/forms/field.html": _field,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
}


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        python = _PYTHON.get(template_name)
        if python is not None:
            return SafeString(python(context))
        python = _WIDGETS.get(template_name)
        if python is not None:
            return SafeString(python(context["widget"]))
        return super().render(template_name, context, request)
