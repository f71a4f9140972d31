"""Uploaded files, served so that none of them can ever run as a page of the site.

An upload is whatever someone sent: a ``.html`` or ``.svg`` file served as such would
run scripts with the site's cookies.  Only a short list of inert types is shown inline
(images and PDF, by their extension); everything else is a download.  Every answer says
``nosniff`` (the browser may not guess a type) and carries a sandboxing CSP that
forbids scripts, plugins and frames even where a browser would render the file.
In production, a web server or object storage serving ``/media/`` must send the same
headers (see docs/operators.md).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

INLINE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".pdf": "application/pdf",
}
DOWNLOAD_TYPES = {
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".json": "application/json",
    ".zip": "application/zip",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".docx": mimetypes.types_map.get(
        ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SANDBOX = "default-src 'none'; sandbox; frame-ancestors 'self'"


@require_safe
def serve_media(request, path: str):
    """One uploaded file: inert types inline, anything else as an attachment."""
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except (SuspiciousFileOperation, ValueError):  # ../ and absolute paths leave MEDIA_ROOT
        raise Http404("No such file") from None
    if not full.is_file():
        raise Http404("No such file")
    suffix = full.suffix.lower()
    inline = suffix in INLINE_TYPES
    content_type = INLINE_TYPES.get(suffix) or DOWNLOAD_TYPES.get(
        suffix, "application/octet-stream"
    )
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    response = FileResponse(
        full.open("rb"), as_attachment=not inline, filename=full.name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "public, max-age=3600"
    return response
