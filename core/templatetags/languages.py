"""The page the reader is on, in each language."""

from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation

register = template.Library()


def _this_page(request) -> str:
    """The reader's address (its query kept) if it is one of the site's pages a link can open,
    else "" (an error page, a path made up to carry another site's address, or a form shown
    again after a failed POST at an address that only takes POST)."""
    if request is None:
        return ""
    path = request.get_full_path()
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:  # "//other.site/lt/" reads as another site's address
        return ""
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ""
    view = getattr(match.func, "view_class", None)
    if request.method not in ("GET", "HEAD") and view is not None:
        answers_get = hasattr(view, "get") and "get" in view.http_method_names
        if not answers_get:
            return ""
    return path


def _home(language: str) -> str:
    with translation.override(language):
        return reverse("home")


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """For each language: its code, its own name, this page's address in it (or that
    language's home page when this is no page a link can open), and whether that address is
    the page the reader is on."""
    request = context.get("request")
    page = _this_page(request)
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if not page:
            address = _home(code)
        elif code == current:
            address = page
        else:
            address = translate_url(page, code)
            if address == page:  # no such page in that language
                address = _home(code)
        links.append(
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "address": address,
                "current": bool(page) and address == page,
            }
        )
    return links
