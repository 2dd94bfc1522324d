"""The desk finds people the way it types them: any script, no accents, one typo."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import staff_user, visitor
from visitors.selectors import visitors_search


@pytest.fixture
def desk(db):
    return staff_user(Role.RECEPTION)


def names(results):
    return [str(v) for v in results]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed", ["Shevchenko", "Ševčenko", "Shevchenco", "shevchenko", "ШЕВЧЕНКО", "Шевченко"]
)
def test_cyrillic_name_found_by_any_spelling(desk, typed):
    visitor(given_name="Тарас", family_name="Шевченко")
    visitor(given_name="Petro", family_name="Shevchuk")
    assert names(visitors_search(user=desk, query=typed)) == ["Тарас Шевченко"]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Shev", "Шевч", "ševč"])
def test_the_start_of_a_name_finds_everyone_it_fits(desk, typed):
    visitor(given_name="Тарас", family_name="Шевченко")
    visitor(given_name="Petro", family_name="Shevchuk")
    visitor(given_name="Olha", family_name="Bondar")
    assert sorted(names(visitors_search(user=desk, query=typed))) == [
        "Petro Shevchuk",
        "Тарас Шевченко",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Шевченко", "Шевченка", "Sevcenko"])
def test_latin_name_found_from_cyrillic(desk, typed):
    visitor(given_name="Taras", family_name="Shevchenko")
    assert names(visitors_search(user=desk, query=typed)) == ["Taras Shevchenko"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Григорій", "Hryhorii"),  # Ukrainian passport spelling
        ("Григорій", "Grigoriy"),  # Russian-style spelling
        ("Hryhorii", "Григорий"),
        ("Юлія", "Yuliia"),
        ("Юлия", "Iuliia"),
        ("Олексій", "Oleksii"),
        ("Алексей", "Alexey"),
        ("Щербак", "Shcherbak"),
        ("Хмельницький", "Khmelnytskyi"),
        ("Šimkus", "Simkus"),
        ("Žemaitė", "zemaite"),
        ("Ąžuolas", "Azuolas"),
    ],
)
def test_transliterations_and_diacritics(desk, written, typed):
    visitor(family_name=written, given_name="X")
    assert names(visitors_search(user=desk, query=typed)) == [f"X {written}"]


@pytest.mark.django_db
def test_both_names_must_match(desk):
    visitor(given_name="Olena", family_name="Kovalenko")
    visitor(given_name="Olena", family_name="Bondarenko")
    assert names(visitors_search(user=desk, query="Олена Коваленко")) == ["Olena Kovalenko"]


@pytest.mark.django_db
def test_other_spellings_are_searched(desk):
    visitor(given_name="Mariia", family_name="Ivanova", other_names="Marija Ivanova\nMaria")
    assert names(visitors_search(user=desk, query="Marija")) == ["Mariia Ivanova"]


@pytest.mark.django_db
def test_unrelated_names_are_not_found(desk):
    visitor(given_name="Taras", family_name="Shevchenko")
    assert visitors_search(user=desk, query="Bondarenko") == []
    assert visitors_search(user=desk, query="") == []


@pytest.mark.django_db
def test_by_phone_and_email(desk):
    visitor(
        given_name="Ali",
        family_name="Karimov",
        phone="+370 612 34567",
        email="ali.karimov@example.org",
    )
    assert names(visitors_search(user=desk, query="61234567")) == ["Ali Karimov"]
    assert names(visitors_search(user=desk, query="+370 612 345 67")) == ["Ali Karimov"]
    assert names(visitors_search(user=desk, query="ALI.KARIMOV@example.org")) == ["Ali Karimov"]
    assert visitors_search(user=desk, query="99999999") == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MANAGER, Role.EVENT_COORDINATOR, Role.ADMINISTRATOR])
def test_roles_without_access_find_nobody(role):
    visitor(given_name="Taras", family_name="Shevchenko")
    assert visitors_search(user=staff_user(role), query="Shevchenko") == []


@pytest.mark.django_db
def test_search_takes_one_query_however_many_match(desk, django_assert_num_queries):
    for n in range(3):
        visitor(given_name=f"Anna{n}", family_name="Petrenko")
    # Warm the permission cache: the page has already asked it by then.
    desk.has_perm("visitors.view_visitor")
    with django_assert_num_queries(1):
        assert len(visitors_search(user=desk, query="Petrenko")) == 3
    for n in range(20):
        visitor(given_name=f"Borys{n}", family_name="Petrenko")
    with django_assert_num_queries(1):
        assert len(visitors_search(user=desk, query="Petrenko")) == 23
    with django_assert_num_queries(1):
        assert len(visitors_search(user=desk, query="Borys Petrenko")) == 20


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Olena Shevchenko", "Shevchenko Olena", "Олена Шевченко"])
def test_a_common_family_name_still_finds_the_one_given_name(desk, typed):
    # More Shevchenkos than fit on the list, and more Olenas: the two who are both must
    # be found, whichever word the search starts from.
    for n in range(30):
        visitor(given_name=f"Taras{n}", family_name="Shevchenko")
        visitor(given_name="Olena", family_name=f"Kovalenko{n}")
    visitor(given_name="Olena", family_name="Shevchenko")
    visitor(given_name="Olena", family_name="Shevchenka")
    assert names(visitors_search(user=desk, query=typed)) == [
        "Olena Shevchenka",
        "Olena Shevchenko",
    ]


@pytest.mark.django_db
def test_exact_spellings_are_kept_when_more_match_than_fit(desk):
    visitor(given_name="Anna", family_name="Petrenka")  # one letter off, registered first
    visitor(given_name="Borys", family_name="Petrenko")
    visitor(given_name="Dana", family_name="Petrenko")
    assert names(visitors_search(user=desk, query="Petrenko", limit=2)) == [
        "Borys Petrenko",
        "Dana Petrenko",
    ]
    assert names(visitors_search(user=desk, query="Petrenko", limit=3)) == [
        "Borys Petrenko",
        "Dana Petrenko",
        "Anna Petrenka",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Мельницьк", "melnytsk", "Taras мельницьк"])
def test_a_part_from_inside_a_name_is_found_by_the_normalised_names(
    desk, django_assert_num_queries, typed
):
    # No name key matches the inside of Khmelnytskyi; the normalised names ("gmelniki")
    # are read for it, in a second query, from the trigram index on PostgreSQL.
    visitor(given_name="Taras", family_name="Khmelnytskyi")
    visitor(given_name="Olha", family_name="Bondar")
    desk.has_perm("visitors.view_visitor")
    with django_assert_num_queries(2) as queries:
        assert names(visitors_search(user=desk, query=typed)) == ["Taras Khmelnytskyi"]
    assert "search_text" in queries.captured_queries[1]["sql"]


@pytest.mark.django_db
def test_a_part_must_fit_every_word(desk, django_assert_num_queries):
    visitor(given_name="Taras", family_name="Khmelnytskyi")
    desk.has_perm("visitors.view_visitor")
    with django_assert_num_queries(2):
        assert visitors_search(user=desk, query="Olha мельницьк") == []
    # Too short for a part (and for the trigram index): no second query.
    with django_assert_num_queries(1):
        assert visitors_search(user=desk, query="Taras ml") == []


@pytest.mark.django_db
def test_the_desk_says_how_many_match_and_lists_the_spelling_typed_first(client, desk):
    """Thirty Коваленко and five Kovalenko: a search for "Kovalenko" says 35 match, lists
    25, the five spelled as typed first, and asks for more to go on."""
    for number in range(30):
        visitor(given_name=f"Олена{number}", family_name="Коваленко")
    latin = [visitor(given_name=f"Olena{number}", family_name="Kovalenko") for number in range(5)]
    client.force_login(desk)
    response = client.get(reverse("visitors:desk"), {"q": "Kovalenko"})
    listed = response.context["results"]
    assert len(listed) == 25 and response.context["total"] == 35
    assert {person.pk for person in listed[:5]} == {person.pk for person in latin}
    page = response.content.decode()
    assert "35 people match; here are the first 25." in page
    assert "narrow it" in page
    # Typed in Cyrillic, the Cyrillic spellings come first.
    cyrillic = client.get(reverse("visitors:desk"), {"q": "Коваленко"}).context["results"]
    assert all(person.family_name == "Коваленко" for person in cyrillic[:25])


@pytest.mark.django_db
def test_a_one_word_typo_of_a_surname_finds_the_people_with_it(desk):
    people = {
        visitor(given_name=f"Iryna{number}", family_name="Kovalenko").pk for number in range(3)
    }
    for typo in ("Kovalneko", "Kovalenco", "Kowalenko", "Kovalenk", "Коваленк"):
        found = {person.pk for person in visitors_search(user=desk, query=typo)}
        assert found == people, typo


@pytest.mark.django_db
def test_fewer_than_listed_say_only_how_many(client, desk):
    visitor(given_name="Taras", family_name="Shevchenko")
    client.force_login(desk)
    page = client.get(reverse("visitors:desk"), {"q": "Shevchenko"}).content.decode()
    assert "1 person found." in page and "narrow it" not in page
