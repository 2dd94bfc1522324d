"""The page the reader is on, in another language."""

from django import template
from django.urls import reverse, translate_url
from django.utils import translation

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in(context, language: str) -> str:
    """This page's address in `language` (its query kept), or that language's home page when
    the page has no such address (an error page)."""
    request = context.get("request")
    path = request.get_full_path() if request is not None else ""
    if path and translation.get_language() == language:
        return path
    translated = translate_url(path, language) if path else ""
    if not translated or translated == path:
        with translation.override(language):
            return reverse("home")
    return translated
