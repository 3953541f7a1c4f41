"""State changes of the catalogue: photo processing and publishing (each tells `catalogue_changed()`)."""

import io
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from animals.caching import catalogue_changed
from animals.models import Animal, AnimalPhoto

PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000  # about 8000 x 5000; larger is refused before Pillow decodes it
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
THUMBNAIL_SIZE = (400, 300)
DISPLAY_MAX = 1200
JPEG_QUALITY = 82


class PhotoError(Exception):
    """An upload that is not a usable photo; the message can be shown to staff. Nothing was saved."""


@dataclass
class PreparedPhoto:
    """The three files of one photo, ready to be stored: the original upload, a thumbnail and a display size."""

    original: ContentFile
    thumbnail: ContentFile
    display: ContentFile


def _jpeg(image, name: str) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue(), name=name)


def photo_prepare(*, upload, name: str = "") -> PreparedPhoto:
    """Check an uploaded file with Pillow and make its thumbnail and display versions.

    Raises PhotoError for a file that is too big, not an image, not JPEG/PNG/WebP or a decompression bomb.
    """
    # Pillow is imported by the first upload, not by every web worker at start (about 2 MB each).
    from PIL import Image, ImageOps, UnidentifiedImageError

    size = getattr(upload, "size", None)
    if size is not None and size > PHOTO_MAX_BYTES:
        raise PhotoError(f"The photo is too large: at most {PHOTO_MAX_BYTES // (1024 * 1024)} MB, please.")
    upload.seek(0)
    data = upload.read(PHOTO_MAX_BYTES + 1)
    if len(data) > PHOTO_MAX_BYTES:
        raise PhotoError(f"The photo is too large: at most {PHOTO_MAX_BYTES // (1024 * 1024)} MB, please.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            if width * height > PHOTO_MAX_PIXELS:
                raise PhotoError("The photo has too many pixels: at most 40 megapixels, please.")
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError as error:
        raise PhotoError("The photo has too many pixels: at most 40 megapixels, please.") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise PhotoError("This file is not a photo we can read: upload a JPEG, PNG or WebP image.") from error
    if image_format not in PHOTO_FORMATS:
        raise PhotoError(f"{image_format} images are not accepted: upload a JPEG, PNG or WebP image.")

    image = ImageOps.exif_transpose(image)
    if image.mode != "RGB":
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    stem = PurePath(name or getattr(upload, "name", "") or "photo").stem[:60] or "photo"
    display = image.copy()
    display.thumbnail((DISPLAY_MAX, DISPLAY_MAX), Image.Resampling.LANCZOS)
    thumbnail = ImageOps.fit(image, THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    return PreparedPhoto(
        original=ContentFile(data, name=f"{stem}.{extension}"),
        thumbnail=_jpeg(thumbnail, f"{stem}-thumb.jpg"),
        display=_jpeg(display, f"{stem}-display.jpg"),
    )


@transaction.atomic
def photo_add(*, animal: Animal, upload, alt_text: str, is_main: bool = False) -> AnimalPhoto:
    """Store a checked, resized photo of `animal`; the first photo of an animal becomes its main photo."""
    prepared = photo_prepare(upload=upload)
    photos = AnimalPhoto.objects.select_for_update().filter(animal=animal)
    existing = list(photos.only("pk", "is_main", "position"))
    if not any(photo.is_main for photo in existing):
        is_main = True
    if is_main:
        photos.filter(is_main=True).update(is_main=False)
    photo = AnimalPhoto(
        animal=animal,
        alt_text=alt_text.strip() or f"Photo of {animal.name}",
        is_main=is_main,
        position=max((photo.position for photo in existing), default=-1) + 1,
    )
    photo.image.save(prepared.original.name, prepared.original, save=False)
    photo.thumbnail.save(prepared.thumbnail.name, prepared.thumbnail, save=False)
    photo.display.save(prepared.display.name, prepared.display, save=False)
    photo.save()
    transaction.on_commit(catalogue_changed)
    return photo


def animals_set_published(*, animals, published: bool) -> int:
    """Publish or unpublish the given animals (a queryset); returns how many changed."""
    ids = list(animals.exclude(is_published=published).values_list("pk", flat=True))
    changed = Animal.objects.filter(pk__in=ids).update(is_published=published, updated_at=timezone.now())
    if changed:
        transaction.on_commit(catalogue_changed)
    if published:
        from alerts.services import alerts_animals_published  # alerts reads the catalogue's forms: import late

        alerts_animals_published(animal_ids=ids)  # "tell me when a new one arrives"
    return changed
