"""The debates API router: the open data of a debate (visible objects only; votes per
pseudonymous participant)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Router

from parlons.core.organisations.models import Organisation
from parlons.core.processes.selectors import access_instance
from parlons.core.tenancy import scope
from parlons.modules.debates import exports
from parlons.modules.debates.models import MapState

router = Router(tags=["debates"])
PATH = "/{organisation}/{process}/{instance}"


def _rows(request, organisation: str, process: str, instance: str, read) -> Any:
    org = Organisation.objects.filter(slug=organisation).first()
    if org is None:
        raise Http404
    with scope(organisation=org):
        found = access_instance(
            person=request.user, process_slug=process, instance_slug=instance, module="debates"
        )
        return read(found)


def _table(header, rows) -> list[dict]:
    return [dict(zip(header, row, strict=True)) for row in rows]


@router.get(PATH + "/articles")
def articles(request, organisation: str, process: str, instance: str):
    """Articles and proposals with their agree / disagree / mixed counts."""
    return _rows(
        request,
        organisation,
        process,
        instance,
        lambda i: _table(exports.ARTICLE_HEADER, exports.article_rows(instance=i, public=True)),
    )


@router.get(PATH + "/amendments")
def amendments(request, organisation: str, process: str, instance: str):
    """Amendments with their votes for and against."""
    return _rows(
        request,
        organisation,
        process,
        instance,
        lambda i: _table(exports.AMENDMENT_HEADER, exports.amendment_rows(instance=i, public=True)),
    )


@router.get(PATH + "/arguments")
def arguments(request, organisation: str, process: str, instance: str):
    """Arguments for (1) and against (-1) articles, amendments and questions."""
    from parlons.contributions.exports import COMMENT_HEADER

    return _rows(
        request,
        organisation,
        process,
        instance,
        lambda i: _table(COMMENT_HEADER, exports.argument_rows(instance=i, public=True)),
    )


@router.get(PATH + "/votes")
def votes(request, organisation: str, process: str, instance: str):
    """Every vote, each participant under a pseudonym of this debate."""
    return _rows(
        request,
        organisation,
        process,
        instance,
        lambda i: _table(exports.VOTE_HEADER, exports.vote_rows(instance=i)),
    )


@router.get(PATH + "/map")
def opinion_map(request, organisation: str, process: str, instance: str):
    """The opinion map: participants (by number) with x, y, group; groups with their
    representative statements; consensus and divisive statements (Polis comment ids)."""

    def read(found):
        row = MapState.objects.filter(instance=found).first()
        return (row.result if row else None) or {
            "participants": {},
            "groups": [],
            "consensus": [],
            "divisive": [],
        }

    return _rows(request, organisation, process, instance, read)
