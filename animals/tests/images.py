"""Real image files made with Pillow for the tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_upload(*, size=(1600, 1200), image_format="JPEG", name="photo.jpg", colour="orange", exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    image.paste("blue", (0, 0, size[0] // 2, size[1]))  # left half blue: shows where the left ended up
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=image_format, **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")
