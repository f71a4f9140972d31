"""Limits on uploaded files: a size and a short list of types, checked on the content.

Every upload field uses these (``validators=[...]`` on a form field).  What is accepted
is also what ``portal.media`` serves inline; anything else is only ever downloaded.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

IMAGE_EXTENSIONS = ("png", "jpg", "jpeg", "gif", "webp")
IMAGE_MAX_BYTES = 2 * 1024 * 1024
CSV_MAX_BYTES = 20 * 1024 * 1024


@deconstructible
class MaxSizeValidator:
    """Refuse files larger than ``limit`` bytes, saying the limit in the user's language."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, upload) -> None:
        if upload.size > self.limit:
            raise ValidationError(
                _("This file is too large: %(size)s; the limit is %(limit)s."),
                code="file_size",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(self.limit),
                },
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MaxSizeValidator) and other.limit == self.limit


def image_validators(max_bytes: int = IMAGE_MAX_BYTES) -> list:
    """For an ``ImageField`` (which already checks the content is an image Pillow reads)."""
    return [FileExtensionValidator(IMAGE_EXTENSIONS), MaxSizeValidator(max_bytes)]


def csv_validators(max_bytes: int = CSV_MAX_BYTES) -> list:
    """For a ``FileField`` taking a CSV list (the content is checked by its reader)."""
    return [FileExtensionValidator(("csv", "txt")), MaxSizeValidator(max_bytes)]
