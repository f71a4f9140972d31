"""Factories for the idea box, shared by the ideas and the contributions tests
(the toolkit is tested through its first user).  Imported by both ``conftest.py``."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

_counter = itertools.count(1)
ALL_OPEN = ("submit", "comment", "support")


@dataclass
class IdeaBox:
    """An organisation with one process and one idea box, and the phase that opens it."""

    organisation: Any
    process: Any
    instance: Any
    phase: Any


@pytest.fixture
def make_idea_box(make_organisation, make_process, make_instance, make_phase):
    def make(
        *,
        when: str = "during",
        opens: tuple[str, ...] = ALL_OPEN,
        settings: dict | None = None,
        organisation=None,
        **fields,
    ) -> IdeaBox:
        organisation = organisation or make_organisation(languages=["fr", "en", "de"])
        process = make_process(organisation, languages=["fr", "en", "de"])
        instance = make_instance(
            process,
            module="ideas",
            title={"fr": "Boîte à idées", "en": "Idea box", "de": "Ideenbox"},
            settings=settings or {},
            **fields,
        )
        phase = make_phase(process, when=when, openings=[(instance, c) for c in opens])
        instance.process = process
        return IdeaBox(organisation, process, instance, phase)

    return make


@pytest.fixture
def idea_box(make_idea_box) -> IdeaBox:
    return make_idea_box()


@pytest.fixture
def make_idea(make_participant):
    from parlons.modules.ideas.models import Idea

    def make(box_or_instance, *, author=None, **fields) -> Idea:
        instance = getattr(box_or_instance, "instance", box_or_instance)
        n = next(_counter)
        fields.setdefault("title", f"Idée numéro {n}")
        fields.setdefault("body", f"Le texte de l'idée numéro {n}, assez long pour passer.")
        idea = Idea.objects.create(instance=instance, author=author or make_participant(), **fields)
        idea.instance = instance
        return idea

    return make


@pytest.fixture
def make_category():
    from parlons.modules.ideas.models import Category

    def make(box_or_instance, code: str = "", **names):
        instance = getattr(box_or_instance, "instance", box_or_instance)
        n = next(_counter)
        code = code or f"category-{n}"
        name = names or {"fr": f"Catégorie {n}", "en": f"Category {n}"}
        return Category.objects.create(instance=instance, code=code, name=name, position=n)

    return make


def image_bytes(*, size=(2400, 1600), kind="JPEG", gps: bool = True) -> bytes:
    """A real image, with EXIF (camera and GPS position) when ``gps``."""
    from PIL import Image

    image = Image.new("RGB", size, (180, 90, 40))
    out = io.BytesIO()
    if gps and kind == "JPEG":
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (45.0, 11.0, 20.0), 3: "E", 4: (5.0, 43.0, 29.0)}  # GPS
        image.save(out, format=kind, exif=exif)
    else:
        image.save(out, format=kind)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


@pytest.fixture
def refresh_counts():
    """Run the batch count now (the periodic task does it every few seconds)."""
    from parlons.contributions.services import do_refresh_counts

    return do_refresh_counts
