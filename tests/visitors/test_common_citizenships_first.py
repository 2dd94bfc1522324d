"""Citizenship is chosen from the centre's most common countries first (Ukraine is most of
the desk's visitors), then from every country; no "---------" at the top."""

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import staff_user, visitor

pytestmark = pytest.mark.django_db


def _citizenship_select(page: str) -> str:
    return re.search(r'<select name="[\w-]*citizenship".*?</select>', page, re.S).group(0)


def test_the_desk_lists_the_common_citizenships_first(client, settings):
    settings.MICENTER_COMMON_CITIZENSHIPS = ["UA", "BY"]
    client.force_login(staff_user(Role.RECEPTION, language="en"))
    for address in (reverse("visitors:desk"), reverse("visitors:visitor_create")):
        page = client.get(address, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        select = _citizenship_select(page)
        values = re.findall(r'<option value="(\w*)"', select)
        assert values[:3] == ["", "UA", "BY"], address
        assert "---------" not in select
        assert 'label="Most common here"' in select and 'label="All countries"' in select
        assert values.count("AF") == 1 and values.count("UA") == 2


def test_a_person_from_a_common_country_has_it_selected_once(client):
    person = visitor(citizenship="UA")
    client.force_login(staff_user(Role.RECEPTION))
    page = client.get(reverse("visitors:visitor_edit", args=[person.pk])).content.decode()
    select = _citizenship_select(page)
    assert select.count(" selected") == 1
    assert '<option value="UA" selected>' in select
