"""The debates' part of "download my data" and "delete my account"."""

from __future__ import annotations

from typing import Any

from parlons.contributions.personal_data import erase_contributions, export_contributions
from parlons.modules.debates.models import (
    Amendment,
    ArticleVote,
    Position,
    Source,
    Statement,
    StatementVote,
    Voter,
)


def _where(obj: Any) -> str:
    return f"{obj.instance.process.slug}/{obj.instance.slug}"


def export(*, participant: Any) -> dict:
    """Votes, amendments, sources, positions and statements of the participant."""
    related = ("instance__process",)
    return {
        "article_votes": [
            {
                "debate": _where(v),
                "article": v.article_id,
                "value": v.value,
                "changed_at": v.changed_at,
            }
            for v in ArticleVote.objects.filter(participant=participant).select_related(*related)
        ],
        "amendments": [
            {
                "debate": _where(a),
                "article": a.article_id,
                "body": a.body,
                "explanation": a.explanation,
                "created_at": a.created_at,
            }
            for a in Amendment.objects.filter(author=participant).select_related(*related)
        ],
        "sources": [
            {"debate": _where(s), "article": s.article_id, "url": s.url, "title": s.title}
            for s in Source.objects.filter(author=participant).select_related(*related)
        ],
        "positions": [
            {
                "debate": _where(p),
                "question": p.question_id,
                "value": p.value,
                "changed_at": p.changed_at,
            }
            for p in Position.objects.filter(participant=participant).select_related(*related)
        ],
        "statements": [
            {"debate": _where(s), "body": s.body, "status": s.status, "created_at": s.created_at}
            for s in Statement.objects.filter(author=participant).select_related(*related)
        ],
        "statement_votes": [
            {"debate": _where(v), "statement": v.statement.body, "value": v.value}
            for v in StatementVote.objects.filter(voter__participant=participant).select_related(
                "statement", *related
            )
        ],
        **export_contributions(participant=participant, module="debates"),
    }


def erase(*, participant: Any) -> None:
    """Texts stay, anonymous; votes and positions keep counting without the person."""
    ArticleVote.objects.filter(participant=participant).update(participant=None)
    Position.objects.filter(participant=participant).update(participant=None)
    Amendment.objects.filter(author=participant).update(author=None)
    Source.objects.filter(author=participant).update(author=None)
    Statement.objects.filter(author=participant).update(author=None)
    Voter.objects.filter(participant=participant).update(participant=None)
    erase_contributions(participant=participant, module="debates")
