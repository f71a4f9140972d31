"""The public count of each petition as a small file, served without Python.

The batch count (:func:`.counting.do_count_signatures`, every few seconds) writes
``<LIVE_FILES_DIR>/petitions/<pk>.json`` with the same bytes as ``count.json``; granian
serves that directory from Rust at ``/live/`` (``parlons serve``), as a CDN would from a
copy.  Reading the count during a spike then costs no Python thread at all.  Without
granian in front (``runserver``, tests) :func:`.views.live_count` serves the same file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from django.conf import settings

from parlons.modules.petitions.models import Petition
from parlons.modules.petitions.signing import petition_is_open


def count_json(petition: Petition) -> bytes:
    """The count JSON of ``petition`` (the row as loaded: no query)."""
    return json.dumps(
        {
            "petition": petition.pk,
            "count": petition.signature_count,
            "goal": petition.goal,
            "counted_at": petition.counted_at.isoformat() if petition.counted_at else None,
            "open": petition_is_open(petition),
        }
    ).encode()


def etag_of(body: bytes) -> str:
    return f'"{hashlib.blake2b(body, digest_size=8).hexdigest()}"'


def count_files_dir() -> Path:
    return Path(settings.LIVE_FILES_DIR) / "petitions"


def count_file(pk: int) -> Path:
    return count_files_dir() / f"{int(pk)}.json"


def public_count_url(petition: Petition) -> str:
    """Where browsers read the live count: ``LIVE_FILES_URL`` + ``petitions/<pk>.json``."""
    return f"{settings.LIVE_FILES_URL}petitions/{petition.pk}.json"


def write_count_file(petition: Petition) -> bool:
    """Write the petition's count file if its bytes changed; True when written.

    The new bytes go to a temporary file in the same directory, then ``os.replace``
    puts it in place in one step: a reader sees the old file or the new, never half.
    """
    body = count_json(petition)
    path = count_file(petition.pk)
    try:
        if path.read_bytes() == body:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{petition.pk}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(body)
        os.chmod(temporary, 0o644)  # mkstemp makes it 0600: the web server must read it
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def remove_count_file(pk: int) -> None:
    """The petition's count is no longer public (withdrawn, hidden): its file goes."""
    count_file(pk).unlink(missing_ok=True)


def count_file_pks() -> set[int]:
    """The petitions that have a count file now."""
    folder = count_files_dir()
    if not folder.is_dir():
        return set()
    return {int(p.stem) for p in folder.glob("*.json") if p.stem.isdigit()}
