"""What the toolkit holds about one participant, for the modules' ``personal_data``.

A module's export calls :func:`export_contributions` with its key and adds the result to
its own; its erase calls :func:`erase_contributions`.  Erasure keeps the contributions and
the tallies (comments stay with their text, supports keep counting) but cuts them from the
person; reports, blocks and uploaded-by links lose the person too.
"""

from __future__ import annotations

from typing import Any

from parlons.contributions.models import Attachment, Block, Comment, Report, Support


def export_contributions(*, participant: Any, module: str) -> dict:
    """Comments, supports, reports and files of ``participant`` on ``module``'s objects,
    and the blocks decided on them (in every organisation)."""
    on = {"instance__module": module}
    return {
        "comments": [
            {
                "id": c.pk,
                "on": f"{c.target_type}#{c.target_id}",
                "parent": c.parent_id,
                "body": c.body,
                "alignment": c.alignment,
                "created_at": c.created_at,
                "edited_at": c.edited_at,
                "deleted_at": c.deleted_at,
                "previous_versions": [v.body for v in c.versions.all()],
            }
            for c in Comment.objects.filter(author=participant, **on).prefetch_related("versions")
        ],
        "supports": [
            {"on": f"{s.target_type}#{s.target_id}", "value": s.value, "created_at": s.created_at}
            for s in Support.objects.filter(participant=participant, **on)
        ],
        "reports": [
            {
                "on": f"{r.target_type}#{r.target_id}",
                "reason": r.reason,
                "details": r.details,
                "created_at": r.created_at,
            }
            for r in Report.objects.filter(reporter=participant, **on)
        ],
        "files": [
            {"on": f"{a.target_type}#{a.target_id}", "kind": a.kind, "title": a.title}
            for a in Attachment.objects.filter(uploaded_by=participant, **on)
        ],
        "blocks": [
            {"message": b.message, "created_at": b.created_at, "lifted_at": b.lifted_at}
            for b in Block.objects.filter(participant=participant)
        ],
    }


def erase_contributions(*, participant: Any, module: str) -> None:
    """Cut ``participant`` from their contributions on ``module``'s objects."""
    on = {"instance__module": module}
    Comment.objects.filter(author=participant, **on).update(author=None)
    Support.objects.filter(participant=participant, **on).update(participant=None)
    Report.objects.filter(reporter=participant, **on).update(reporter=None)
    Attachment.objects.filter(uploaded_by=participant, **on).update(uploaded_by=None)
    Block.objects.filter(participant=participant).delete()
