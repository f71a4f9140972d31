"""Attachments are judged by content: images re-encoded without metadata, PDFs checked."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from parlons.contributions.files import MAX_SIDE, prepare_upload
from parlons.contributions.models import Attachment
from parlons.contributions.services import check_attachments, do_attach
from parlons.modules.ideas.tests.fixtures import image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def test_an_image_is_shrunk_and_loses_its_metadata(idea_box, make_idea, make_participant):
    original = image_bytes(size=(3200, 2000), gps=True)
    assert Image.open(io.BytesIO(original)).getexif()  # the camera wrote a GPS position
    idea = make_idea(idea_box)
    [prepared] = check_attachments(
        instance=idea_box.instance, uploads=[upload("holiday.png", original)], title="Le parc"
    )
    assert (prepared.kind, prepared.content_type, prepared.suffix) == (
        "image",
        "image/jpeg",
        ".jpg",
    )
    [stored] = do_attach(person=make_participant(), obj=idea, files=[prepared])
    with stored.file.open("rb") as handle:
        saved = Image.open(io.BytesIO(handle.read()))
    assert (saved.format, max(saved.size), saved.size) == ("JPEG", MAX_SIDE, (1600, 1000))
    assert dict(saved.getexif()) == {}
    assert "exif" not in saved.info
    assert (stored.width, stored.height, stored.title) == (1600, 1000, "Le parc")
    assert "holiday" not in stored.file.name and stored.file.name.endswith(".jpg")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", b"\x89PNG\r\n\x1a\n" + b"not really a picture" * 10),
        ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200),  # a Windows program named .jpg
        ("document.pdf", b"%PDF-1.4 but truncated, with no end of file marker"),
        ("image.gif", b"GIF89a" + b"\x00" * 50),
        ("notes.txt", b"plain text"),
    ],
)
def test_a_fake_or_unsupported_file_is_refused_in_the_users_language(idea_box, name, content):
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        check_attachments(instance=idea_box.instance, uploads=[upload(name, content)])
    assert refused.value.messages == [
        f"{name} n'est pas un fichier accepté : envoyez une image JPEG, PNG ou WebP, "
        "ou un document PDF."
    ]


def test_an_oversized_file_is_refused(make_idea_box):
    box = make_idea_box(settings={"attachment_max_mb": 1})
    big = upload("big.jpg", b"\xff\xd8" + b"0" * (MB + 1))
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        check_attachments(instance=box.instance, uploads=[big])
    assert refused.value.messages == ["big.jpg ist zu groß: höchstens 1 MB."]


def test_too_many_files_are_refused(make_idea_box):
    box = make_idea_box(settings={"attachments_max": 1})
    files = [upload(f"{n}.jpg", image_bytes(size=(20, 20))) for n in range(2)]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        check_attachments(instance=box.instance, uploads=files)
    assert refused.value.messages == ["1 file at most."]
    with pytest.raises(ValidationError):
        check_attachments(instance=box.instance, uploads=files[:1], existing=1)


def test_a_decompression_bomb_is_refused_before_decoding(idea_box):
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG")  # small file, 100 megapixels
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        check_attachments(instance=idea_box.instance, uploads=[upload("bomb.png", out.getvalue())])
    assert refused.value.messages == ["bomb.png has too many pixels (40 million at most)."]


def test_a_pdf_and_the_other_image_formats_are_kept_in_their_kind(idea_box):
    files = [
        upload("plan.pdf", pdf_bytes(), "application/pdf"),
        upload("a.png", image_bytes(size=(30, 20), kind="PNG")),
        upload("b.webp", image_bytes(size=(30, 20), kind="WEBP")),
    ]
    prepared = check_attachments(instance=idea_box.instance, uploads=files)
    assert [(p.kind, p.content_type) for p in prepared] == [
        ("document", "application/pdf"),
        ("image", "image/png"),
        ("image", "image/webp"),
    ]
    assert prepared[0].title == "plan.pdf"


def test_an_upside_down_photo_is_stored_upright():
    image = Image.new("RGB", (40, 20), (10, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    prepared = prepare_upload(upload("turned.jpg", out.getvalue()), max_bytes=MB)
    assert (prepared.width, prepared.height) == (20, 40)
    assert Attachment.objects.count() == 0
