import html
import re

import pytest
from django.urls import reverse

from accounts.models import User

# A sentence from the home page in each language, to show the page really is translated.
HOME_TEXT = {
    "lt": "Ką siūlome",
    "en": "What we offer",
    "uk": "Що ми пропонуємо",
    "ru": "Что мы предлагаем",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", list(HOME_TEXT))
def test_home_page_speaks_each_language(client, language):
    response = client.get(f"/{language}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in page
    assert HOME_TEXT[language] in page
    for other, text in HOME_TEXT.items():
        if other != language:
            assert text not in page


@pytest.mark.django_db
def test_root_follows_browser_language(client):
    assert client.get("/", headers={"accept-language": "uk"})["Location"] == "/uk/"
    assert client.get("/", headers={"accept-language": "fr"})["Location"] == "/lt/"


@pytest.mark.django_db
def test_switcher_keeps_you_on_the_same_page(client):
    response = client.post(
        reverse("set_language"), {"language": "uk", "next": "/lt/accounts/login/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/uk/accounts/login/"


@pytest.mark.django_db
def test_switcher_works_whatever_language_the_browser_asks_for(client):
    response = client.post(
        reverse("set_language"),
        {"language": "uk", "next": "/lt/accounts/login/"},
        headers={"accept-language": "en-US,en"},
    )
    assert response["Location"] == "/uk/accounts/login/"


@pytest.mark.django_db
def test_switcher_stores_the_choice_on_the_account(client, visitor_user):
    client.force_login(visitor_user)
    client.post(reverse("set_language"), {"language": "ru", "next": "/uk/accounts/me/"})
    visitor_user.refresh_from_db()
    assert visitor_user.language == "ru"


@pytest.mark.django_db
def test_switcher_refuses_unknown_language(client, visitor_user):
    client.force_login(visitor_user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/uk/"})
    assert User.objects.get(pk=visitor_user.pk).language == "uk"


@pytest.mark.django_db
def test_every_page_has_the_language_switcher(client):
    for url in ["/lt/", "/en/accounts/login/", "/uk/accounts/signup/"]:
        assert 'class="language-switcher"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_anyone_not_signed_in_switches_by_links_to_the_same_page(client):
    page = client.get("/lt/events/?category=group").content.decode()
    switcher = page[page.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    assert "<form" not in switcher and "<button" not in switcher
    for code in ("lt", "en", "uk", "ru"):
        assert f'href="/{code}/events/?category=group" lang="{code}"' in switcher
    assert 'lang="lt" hreflang="lt" aria-current="page"' in switcher
    assert switcher.count("aria-current") == 1
    # Following one is all it takes: the page in that language.
    ukrainian = re.search(r'href="([^"]+)" lang="uk"', switcher)[1]
    page = client.get(html.unescape(ukrainian)).content.decode()
    assert '<html lang="uk">' in page and "Афіша" in page


@pytest.mark.django_db
def test_an_error_page_switches_to_the_home_page_of_that_language(client):
    page = client.get("/lt/no-such-page/").content.decode()
    assert 'href="/uk/" lang="uk"' in page
    assert 'href="/lt/" lang="lt"' in page
    # The home page is not the page the reader is on.
    assert 'aria-current="page"' not in page


@pytest.mark.django_db
def test_the_switcher_links_cannot_be_made_to_point_elsewhere(client):
    # A made-up path that browsers read as another site's address gets the home page.
    response = client.get("/lt/", PATH_INFO="//evil.example/lt/")
    assert response.wsgi_request.get_full_path() == "//evil.example/lt/"
    assert "evil.example" not in response.content.decode()
    # What a query brings along is escaped (Django leaves & and ' as they are in the URL).
    page = client.get("/lt/events/?a=1&b='x'").content.decode()
    switcher = page[page.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    assert 'href="/uk/events/?a=1&amp;b=&#x27;x&#x27;"' in switcher
    assert "&b='x'" not in switcher


@pytest.mark.django_db
def test_signed_in_people_switch_with_the_form_that_keeps_their_choice(client, visitor_user):
    client.force_login(visitor_user)
    page = client.get("/uk/events/").content.decode()
    assert f'<form class="language-switcher" action="{reverse("set_language")}"' in page
