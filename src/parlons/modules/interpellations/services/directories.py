"""Directories of representatives: read the files, then import or re-import in place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from parlons.core.audit.services import log_action
from parlons.core.organisations.models import Organisation
from parlons.formats import representatives as formats
from parlons.modules.interpellations.models import (
    Constituency,
    Directory,
    PostcodeCommune,
    Representative,
    Source,
)

# The files each source needs, by name: (required names, optional names).
SOURCE_FILES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Source.FRENCH_DEPUTIES: (("deputies", "communes", "postcodes"), ()),
    Source.UK_MPS: (("file",), ()),
    Source.MEPS: (("file",), ("regions",)),
    Source.POPOLO: (("file",), ()),
    Source.CSV: (("file",), ()),
}
FIELDS = ("name", "given_name", "family_name", "group", "group_abbreviation", "party",
          "email", "phone", "image", "website")  # fmt: skip


@dataclass(frozen=True)
class ImportReport:
    """What an import changed: names added, changed (with the fields) and removed."""

    added: tuple[str, ...]
    changed: tuple[tuple[str, tuple[str, ...]], ...]
    removed: tuple[str, ...]
    unchanged: int
    constituencies: int
    postcodes: int
    warnings: tuple[str, ...]

    def summary(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
            "unchanged": self.unchanged,
            "constituencies": self.constituencies,
            "postcodes": self.postcodes,
        }


def parse_mapping(text: str) -> dict[str, str]:
    """``"id=member_id, name=display_as"`` → ``{"id": "member_id", "name": "display_as"}``."""
    mapping = {}
    for part in (text or "").replace("\n", ",").split(","):
        if not part.strip():
            continue
        key, sep, column = part.partition("=")
        if not sep or not key.strip() or not column.strip():
            raise ValidationError(
                _("Write the mapping as field=column pairs separated by commas."), code="mapping"
            )
        mapping[key.strip()] = column.strip()
    return mapping


def read_directory_files(
    *, source: str, files: Mapping[str, Any], mapping: str = ""
) -> formats.Directory:
    """Parse uploaded or local files (paths or text streams) of one source.

    A file of the wrong layout is a translated ValidationError naming the problem.
    """
    if source not in SOURCE_FILES:
        raise ValidationError(_("Choose the kind of file."), code="source")
    required, _optional = SOURCE_FILES[source]
    missing = [name for name in required if not files.get(name)]
    if missing:
        raise ValidationError(
            _("Missing file(s): %(names)s.") % {"names": ", ".join(missing)}, code="files"
        )
    try:
        return _read(source, files, mapping)
    except (formats.RepresentativesFormatError, UnicodeDecodeError, KeyError) as error:
        raise ValidationError(
            _("The file could not be read: %(error)s") % {"error": error}, code="format"
        ) from None


def _read(source: str, files: Mapping[str, Any], mapping: str) -> formats.Directory:
    if source == Source.FRENCH_DEPUTIES:
        return formats.read_french_deputies(
            deputies=files["deputies"], communes=files["communes"], postcodes=files["postcodes"]
        )
    if source == Source.UK_MPS:
        return formats.read_uk_mps(source=files["file"])
    if source == Source.MEPS:
        return formats.read_meps(source=files["file"], regions=files.get("regions"))
    if source == Source.POPOLO:
        return formats.read_popolo(source=files["file"])
    return formats.read_representatives_csv(source=files["file"], mapping=parse_mapping(mapping))


@transaction.atomic
def do_create_directory(
    *, actor: Any, organisation: Organisation, name: str, source: str, slug: str = ""
) -> Directory:
    """A new, empty directory of the organisation (its code made from the name)."""
    name = (name or "").strip()
    if not name or len(name) > 150:
        raise ValidationError(_("Give the directory a name (150 characters at most)."))
    if source not in Source.values:
        raise ValidationError(_("Choose the kind of file."), code="source")
    base = slugify(slug or name)[:50] or "directory"
    code, n = base, 1
    while Directory.objects.filter(organisation=organisation, slug=code).exists():
        n += 1
        code = f"{base}-{n}"
    directory = Directory.objects.create(
        organisation=organisation, slug=code, name=name, source=source
    )
    log_action(actor=actor, code="interpellations.directory.created", target=directory)
    return directory


def _stored(row: Representative) -> formats.Representative:
    return formats.Representative(
        id=row.external_id,
        area_ids=tuple(row.area_codes),
        identifiers=tuple(tuple(pair) for pair in row.identifiers),
        **{name: getattr(row, name) for name in FIELDS},
    )


def _values(record: formats.Representative) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in FIELDS}
    values["area_codes"] = list(record.area_ids)
    values["identifiers"] = [list(pair) for pair in record.identifiers]
    values["left_at"] = None
    return values


def _save_constituencies(directory: Directory, areas: tuple[formats.Area, ...]) -> dict:
    known = {c.code: c for c in Constituency.objects.filter(directory=directory)}
    new = [
        Constituency(directory=directory, code=a.id, name=a.name[:200], kind=a.kind)
        for a in areas
        if a.id not in known
    ]
    Constituency.objects.bulk_create(new)
    for area in areas:
        old = known.get(area.id)
        if old is not None and (old.name, old.kind) != (area.name[:200], area.kind):
            old.name, old.kind = area.name[:200], area.kind
            old.save(update_fields=["name", "kind"])
    return {c.code: c for c in Constituency.objects.filter(directory=directory)}


def _save_postcodes(directory: Directory, lookup: formats.PostcodeLookup | None) -> int:
    stored = PostcodeCommune.objects.filter(directory=directory)
    if lookup is None:
        return stored.count()
    rows = [
        PostcodeCommune(
            directory=directory,
            postcode=postcode,
            commune_code=commune.code,
            commune_name=commune.name[:100],
            area_codes=list(commune.area_ids),
            exact=commune.exact,
        )
        for postcode in lookup.communes_by_postcode
        for commune in lookup.find(postcode=postcode).communes
    ]
    fields = ("postcode", "commune_code", "commune_name", "area_codes", "exact")

    def key(row: PostcodeCommune | dict) -> tuple:
        get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
        return tuple(tuple(v) if isinstance(v, list) else v for v in map(get, fields))

    if {key(row) for row in stored.values(*fields)} == {key(row) for row in rows}:
        return len(rows)  # the same table again: nothing to rewrite
    stored.delete()
    PostcodeCommune.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@transaction.atomic
def do_import_directory(
    *, actor: Any, directory: Directory, parsed: formats.Directory
) -> ImportReport:
    """Import ``parsed`` into ``directory`` in place and report what changed.

    Representatives are matched by their source id: new ones are added, changed ones
    updated, missing ones marked as having left (kept, with their messages and stances).
    Constituencies are added or renamed; the postcode table, when the source has one, is
    replaced.
    """
    directory = Directory.objects.select_for_update().get(pk=directory.pk)
    constituencies = _save_constituencies(directory, parsed.areas)
    rows = {r.external_id: r for r in Representative.objects.filter(directory=directory)}
    active = [_stored(r) for r in rows.values() if r.left_at is None]
    diff = formats.diff_records(old=active, new=parsed.representatives)
    now = timezone.now()
    touched = []
    for record in diff.added:
        row = rows.get(record.id) or Representative(directory=directory, external_id=record.id)
        for name, value in _values(record).items():
            setattr(row, name, value)
        row.save()
        touched.append((row, record))
    for change in diff.changed:
        row = rows[change.id]
        for name, value in _values(change.after).items():
            setattr(row, name, value)
        row.save()
        if "area_ids" in change.fields:
            touched.append((row, change.after))
    Representative.objects.filter(
        directory=directory, external_id__in=[r.id for r in diff.removed]
    ).update(left_at=now)
    for row, record in touched:
        row.constituencies.set(
            [constituencies[code] for code in record.area_ids if code in constituencies]
        )
    postcodes = _save_postcodes(directory, parsed.postcodes)
    directory.imported_at = now
    directory.save(update_fields=["imported_at"])
    report = ImportReport(
        added=tuple(r.name for r in diff.added),
        changed=tuple((c.after.name, c.fields) for c in diff.changed),
        removed=tuple(r.name for r in diff.removed),
        unchanged=diff.unchanged,
        constituencies=len(constituencies),
        postcodes=postcodes,
        warnings=tuple(parsed.warnings),
    )
    log_action(
        actor=actor,
        code="interpellations.directory.imported",
        target=directory,
        data=report.summary(),
    )
    return report
