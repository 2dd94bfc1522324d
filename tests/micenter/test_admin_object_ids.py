"""An admin page for an id its model's key cannot be (/consultation/abc/change/) answers 404,
for every model the admin shows; an id that could be but matches nothing is no error either."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.roles import Role
from tests.factories import staff_user

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)
OBJECT_PAGES = ["change", "delete", "history"]


@pytest.fixture
def administrator_client(client, db):
    client.force_login(staff_user(Role.ADMINISTRATOR))
    return client


def _url(model, page: str, object_id: str) -> str:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
    return reverse(name, args=[object_id])


def test_the_consultation_admin_is_among_them():
    assert "consultations.Consultation" in {model._meta.label for model in MODELS}


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("page", OBJECT_PAGES)
def test_an_id_that_is_not_a_number_is_not_found(administrator_client, model, page):
    response = administrator_client.get(_url(model, page, "abc"))
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("object_id", ["0", "99999999999999999999999"])
def test_a_number_that_matches_nothing_is_no_server_error(administrator_client, model, object_id):
    response = administrator_client.get(_url(model, "change", object_id))
    # Django's own answers: back to the admin's start page, saying the object does not
    # exist; or 403 where administrators may not view the model at all.
    assert response.status_code in (302, 403)
