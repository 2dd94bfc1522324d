"""QuickSelect writes the same <select> as Django's template-rendered one."""

from html.parser import HTMLParser

from django import forms

from core.widgets import QuickSelect

CHOICES = [("", "—"), ("UA", "Ukraine"), ("x", '<b>"A&B"</b>'), ("Group", [("1", "One")])]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, sorted(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.tags.append(("text", data.strip()))


def _parsed(html):
    parser = _Tags()
    parser.feed(str(html))
    return parser.tags


def test_the_markup_matches_djangos_select_for_any_value():
    attrs = {"id": "id_c", "required": True, "aria-describedby": "c_help"}
    for value in (None, "", "UA", "1", "not-a-choice"):
        django = forms.Select(choices=CHOICES).render("c", value, attrs)
        quick = QuickSelect(choices=CHOICES).render("c", value, attrs)
        assert _parsed(quick) == _parsed(django), value


def test_labels_and_values_are_escaped():
    html = str(QuickSelect(choices=CHOICES).render("c", '"><script>', {}))
    assert "<b>" not in html and "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;" in html
    assert "<script>" not in html


def test_remembered_country_options_follow_the_language():
    from django.utils import translation

    from visitors.forms import WalkInForm

    for language, name in (("en", "Ukraine"), ("uk", "Україна"), ("lt", "Ukraina")):
        with translation.override(language):
            for _twice in range(2):
                html = str(WalkInForm()["citizenship"])
                assert f'<option value="UA">{name}</option>' in html, language
                fresh = QuickSelect(choices=WalkInForm.base_fields["citizenship"].choices)
                assert html == str(
                    fresh.render("walkin-citizenship", None, {"id": "id_walkin-citizenship"})
                )
