"""Uploaded files, judged by their content: images re-encoded, PDFs checked.

An image is opened by Pillow whatever its name says, refused above a pixel budget
(decompression bombs), turned upright from its EXIF orientation, shrunk to fit
``MAX_SIDE`` and saved again without its metadata (camera, GPS position, comments).
A document must be a PDF: it starts with ``%PDF-`` and ends with ``%%EOF``.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000
MEGABYTE = 1024 * 1024
DEFAULT_MAX_FILES = 3
DEFAULT_MAX_MEGABYTES = 5


@dataclass(frozen=True)
class PreparedFile:
    """A file ready to store: the bytes to write and what we know about them."""

    kind: str
    content: bytes
    content_type: str
    suffix: str
    title: str = ""
    width: int | None = None
    height: int | None = None


def limits_of(instance: Any) -> tuple[int, int]:
    """(files per object, bytes per file) from the instance's settings."""
    settings = instance.settings or {}
    count = int(settings.get("attachments_max", DEFAULT_MAX_FILES))
    megabytes = int(settings.get("attachment_max_mb", DEFAULT_MAX_MEGABYTES))
    return count, megabytes * MEGABYTE


def _not_readable(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is not a file we accept: send a JPEG, PNG or WebP image, or a PDF document.")
        % {"name": name},
        code="invalid_file",
    )


def prepare_image(data: bytes, *, name: str, title: str = "") -> PreparedFile:
    """Re-encode an image (upright, at most MAX_SIDE pixels a side, no metadata)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked below
            probe = Image.open(io.BytesIO(data))
        with probe:
            kind, (width, height) = probe.format, probe.size
            if kind not in IMAGE_FORMATS:
                raise _not_readable(name)
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("%(name)s has too many pixels (%(pixels)d million at most).")
                    % {"name": name, "pixels": MAX_PIXELS // 1_000_000},
                    code="too_many_pixels",
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _not_readable(name) from None
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    upright.info = {}
    if kind == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    options = {"quality": 85} if kind in ("JPEG", "WEBP") else {"optimize": True}
    upright.save(out, format=kind, **options)
    content_type, suffix = IMAGE_FORMATS[kind]
    return PreparedFile(
        kind="image",
        content=out.getvalue(),
        content_type=content_type,
        suffix=suffix,
        title=title,
        width=upright.width,
        height=upright.height,
    )


def prepare_document(data: bytes, *, name: str, title: str = "") -> PreparedFile:
    if not (data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]):
        raise _not_readable(name)
    return PreparedFile(
        kind="document",
        content=data,
        content_type="application/pdf",
        suffix=".pdf",
        title=title or name[:200],
    )


def prepare_upload(upload: Any, *, max_bytes: int, title: str = "") -> PreparedFile:
    """An uploaded file (Django's ``UploadedFile``) checked and ready, or ValidationError."""
    name = str(getattr(upload, "name", "") or _("the file"))[:120]
    if upload.size > max_bytes:
        raise ValidationError(
            _("%(name)s is too large: %(megabytes)d MB at most.")
            % {"name": name, "megabytes": max_bytes // MEGABYTE},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("%(name)s is too large: %(megabytes)d MB at most.")
            % {"name": name, "megabytes": max_bytes // MEGABYTE},
            code="too_large",
        )
    if data.startswith(b"%PDF-"):
        return prepare_document(data, name=name, title=title)
    return prepare_image(data, name=name, title=title)
