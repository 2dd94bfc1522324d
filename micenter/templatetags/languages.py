"""The page the reader is on, in another language."""

from urllib.parse import urlsplit

from django import template
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in(context, language: str) -> str:
    """This page's address in `language` (its query kept), or that language's home page when
    the address is not one of the site's pages (an error page, or a path made up to put
    another site's address in the links)."""
    request = context.get("request")
    path = request.get_full_path() if request is not None else ""
    parts = urlsplit(path)
    try:
        # "//other.site/lt/" reads as another site's address: it is no page of this one.
        if parts.scheme or parts.netloc:
            raise Resolver404
        match = resolve(parts.path)
        # A form shown again after a failed POST (a guest registration) has an address that
        # only takes POST: a link there would answer "method not allowed".
        view = getattr(match.func, "view_class", None)
        if request.method not in ("GET", "HEAD") and view is not None and not hasattr(view, "get"):
            raise Resolver404
    except Resolver404:
        path = ""
    if path and translation.get_language() == language:
        return path
    translated = translate_url(path, language) if path else ""
    if not translated or translated == path:
        with translation.override(language):
            return reverse("home")
    return translated
