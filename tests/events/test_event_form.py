"""The coordinator's event form: images checked by type and size, alt text required."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from events.models import Event

pytestmark = pytest.mark.django_db


def _png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "navy").save(out, "PNG")
    return out.getvalue()


def _post(client, event, image, **extra):
    data = {
        "title_lt": event.title_lt,
        "category": event.category,
        "audience": event.audience,
        "registration_mode": event.registration_mode,
        "capacity": "5",
        "is_public": "on",
        "image": image,
        **extra,
    }
    return client.post(reverse("events:edit", args=[event.pk]), data)


def test_images_are_checked(client, club, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    fake = SimpleUploadedFile("poster.png", b"<script>alert(1)</script>", "image/png")
    response = _post(client, club, fake, image_alt_lt="Plakatas")
    assert response.status_code == 200
    assert "image" in response.context["form"].errors

    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    response = _post(
        client,
        club,
        SimpleUploadedFile("a.gif", gif.getvalue(), "image/gif"),
        image_alt_lt="Plakatas",
    )
    assert "Upload a JPEG, PNG or WebP picture." in response.content.decode()

    response = _post(client, club, SimpleUploadedFile("p.png", _png(), "image/png"))
    assert "Describe the image" in response.content.decode()

    settings_limit = 2 * 1024 * 1024
    big = SimpleUploadedFile("big.png", _png() + b"\0" * settings_limit, "image/png")
    response = _post(client, club, big, image_alt_lt="Plakatas")
    assert "larger than 2 MB" in response.content.decode()
    assert not Event.objects.get(pk=club.pk).image

    response = _post(
        client,
        club,
        SimpleUploadedFile("p.png", _png(), "image/png"),
        image_alt_lt="Plakatas",
        image_alt_en="Poster",
    )
    assert response.status_code == 302
    event = Event.objects.get(pk=club.pk)
    assert event.image and event.image_alt_en == "Poster"
    page = client.get(reverse("events:detail", args=[club.pk])).content.decode()
    assert 'alt="Poster"' in page
