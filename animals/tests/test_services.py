import struct
import zlib
from unittest.mock import patch

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from animals.caching import catalogue_changed, catalogue_version
from animals.models import Animal, AnimalPhoto
from animals.services import PhotoError, animals_set_published, photo_add, photo_prepare
from animals.tests.factories import AnimalFactory
from animals.tests.images import image_upload


@pytest.mark.django_db
def test_photo_add_stores_a_thumbnail_and_a_display_size(django_capture_on_commit_callbacks):
    animal = AnimalFactory()
    photo = photo_add(animal=animal, upload=image_upload(size=(3000, 2000)), alt_text="Rex in the garden")
    with Image.open(photo.thumbnail.path) as thumb:
        assert thumb.size == (400, 300)
    with Image.open(photo.display.path) as display:
        assert display.size == (1200, 800)
        assert display.format == "JPEG"
    with Image.open(photo.image.path) as original:
        assert original.size == (3000, 2000)
    assert photo.alt_text == "Rex in the garden"
    assert photo.is_main  # the first photo becomes the main one


@pytest.mark.django_db
def test_photo_add_applies_exif_orientation():
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    photo = photo_add(animal=AnimalFactory(), upload=image_upload(size=(1600, 1200), exif=exif), alt_text="x")
    with Image.open(photo.display.path) as display:
        assert display.size == (900, 1200)  # portrait now
        # The blue left half of the stored image is at the top after the rotation.
        assert display.getpixel((450, 100))[2] > 150
        assert display.getpixel((450, 1100))[2] < 100


@pytest.mark.django_db
def test_new_main_photo_replaces_the_old_main_one():
    animal = AnimalFactory()
    first = photo_add(animal=animal, upload=image_upload(), alt_text="first")
    second = photo_add(animal=animal, upload=image_upload(image_format="PNG", name="b.png"), alt_text="second")
    third = photo_add(animal=animal, upload=image_upload(image_format="WEBP", name="c.webp"), alt_text="", is_main=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_main, second.is_main, third.is_main) == (False, False, True)
    assert [second.position, third.position] == [1, 2]
    assert third.alt_text == f"Photo of {animal.name}"


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused():
    fake = SimpleUploadedFile("cat.jpg", b"<html>not a picture</html>", content_type="image/jpeg")
    with pytest.raises(PhotoError, match="not a photo we can read"):
        photo_add(animal=AnimalFactory(), upload=fake, alt_text="x")
    assert AnimalPhoto.objects.count() == 0


@pytest.mark.django_db
def test_an_image_in_another_format_is_refused():
    with pytest.raises(PhotoError, match="GIF images are not accepted"):
        photo_add(animal=AnimalFactory(), upload=image_upload(image_format="GIF", name="a.gif"), alt_text="x")
    assert AnimalPhoto.objects.count() == 0


def test_a_file_over_10_mb_is_refused():
    big = SimpleUploadedFile("big.jpg", b"\xff" * (10 * 1024 * 1024 + 1), content_type="image/jpeg")
    with pytest.raises(PhotoError, match="too large"):
        photo_prepare(upload=big)


def test_an_image_with_too_many_pixels_is_refused():
    with patch("animals.services.PHOTO_MAX_PIXELS", 1000), pytest.raises(PhotoError, match="too many pixels"):
        photo_prepare(upload=image_upload(size=(100, 100)))


def test_a_decompression_bomb_is_refused():
    # A PNG whose header claims 30000 x 30000 pixels: tiny on disk, 900 megapixels once decoded.
    png = image_upload(size=(1, 1), image_format="PNG", name="bomb.png").read()
    header = b"IHDR" + struct.pack(">II", 30000, 30000) + png[24:29]
    bomb = png[:12] + header + struct.pack(">I", zlib.crc32(header)) + png[33:]
    with pytest.raises(PhotoError, match="too many pixels"):
        photo_prepare(upload=SimpleUploadedFile("bomb.png", bomb, content_type="image/png"))


def test_catalogue_changed_bumps_the_version():
    before = catalogue_version()
    catalogue_changed()
    assert catalogue_version() == before + 1


@pytest.mark.django_db
def test_animals_set_published_changes_only_what_differs(django_capture_on_commit_callbacks):
    hidden = AnimalFactory(is_published=False)
    AnimalFactory(is_published=True)
    version = catalogue_version()
    with django_capture_on_commit_callbacks(execute=True):
        changed = animals_set_published(animals=Animal.objects.all(), published=True)
    assert changed == 1
    hidden.refresh_from_db()
    assert hidden.is_published
    assert catalogue_version() == version + 1
