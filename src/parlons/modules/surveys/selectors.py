"""Reads: the questionnaire of an instance, drafts, and the responses as matrices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connections
from django.http import Http404
from numpy.typing import NDArray

from parlons.core.participants.models import Demographics
from parlons.core.processes.models import ModuleInstance
from parlons.core.processes.selectors import access_instance
from parlons.core.tenancy import scopes_disabled
from parlons.modules.surveys.coding import Layout, Matrix, stack
from parlons.modules.surveys.matrix_cache import MATRICES, Stamp
from parlons.modules.surveys.models import Origin, Questionnaire, Response, Status
from parlons.modules.surveys.versions import results_version


def access_questionnaire(*, person: Any, process_slug: str, instance_slug: str) -> Questionnaire:
    """The questionnaire at this address if ``person`` may see its process (else 404)."""
    instance = access_instance(
        person=person, process_slug=process_slug, instance_slug=instance_slug, module="surveys"
    )
    questionnaire = Questionnaire.objects.filter(instance=instance).first()
    if questionnaire is None:
        raise Http404("No questionnaire yet")
    questionnaire.instance = instance
    return questionnaire


def get_or_create_questionnaire(*, instance: ModuleInstance) -> Questionnaire:
    """The questionnaire of an instance, created empty the first time the builder opens."""
    questionnaire, _created = Questionnaire.objects.get_or_create(instance=instance)
    questionnaire.instance = instance
    return questionnaire


def find_draft(
    *, questionnaire: Questionnaire, person: Any, token_hash: str = ""
) -> Response | None:
    """The response in progress of this person (by account, or by a guest's resume token)."""
    drafts = Response.objects.filter(questionnaire=questionnaire, status=Status.DRAFT)
    if getattr(person, "is_authenticated", False):
        return drafts.filter(participant=person).order_by("-pk").first()
    if token_hash:
        return drafts.filter(token_hash=token_hash, participant__isnull=True).first()
    return None


def has_answered(*, questionnaire: Questionnaire, person: Any) -> bool:
    if not getattr(person, "is_authenticated", False):
        return False
    return Response.objects.filter(
        questionnaire=questionnaire, participant=person, status=Status.COMPLETE
    ).exists()


@dataclass(frozen=True)
class ResponseData:
    """The counted responses as arrays: answers, day of submission, origin, participant."""

    plan: Layout
    matrix: Matrix
    days: NDArray[np.int64]
    imported: NDArray[np.bool_]
    participants: NDArray[np.int64]
    scores: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.matrix)

    def select(self, mask: NDArray[np.bool_]) -> ResponseData:
        if mask.all():  # no filter: share the (read-only) arrays rather than copy them
            return self
        return ResponseData(
            self.plan,
            self.matrix.select(mask),
            self.days[mask],
            self.imported[mask],
            self.participants[mask],
            self.scores[mask],
        )


def counted_responses(questionnaire: Questionnaire):
    """Complete responses that count (guests who must confirm have confirmed)."""
    return Response.objects.filter(
        questionnaire=questionnaire, status=Status.COMPLETE, confirmed=True
    )


def response_stamp(*, questionnaire: Questionnaire) -> Stamp:
    """The stamp the cached arrays of this questionnaire are valid under.

    One lookup of the unique index of the results version (at most ``versions.SHARDS``
    rows), whatever the number of responses.
    """
    return Stamp(
        database=_database_name(),
        questionnaire=questionnaire.pk,
        fingerprint=questionnaire.fingerprint,
        version=results_version(questionnaire_id=questionnaire.pk),
    )


def _database_name() -> str:
    settings = connections[Response.objects.db].settings_dict
    return f"{settings['ENGINE']}:{settings['NAME']}"


def load_response_data(*, questionnaire: Questionnaire) -> ResponseData:
    """Every counted response in four flat arrays and two matrices.

    The arrays come from the process's :data:`matrix_cache.MATRICES` when the stamp of
    the questionnaire has not changed since they were read (one indexed query);
    otherwise from one query that reads only the binary rows and small integers (no JSON
    decoding), after re-coding any response coded by an older layout. The layout is
    always built from the current definition, so edited labels show at once.
    """
    stamp = response_stamp(questionnaire=questionnaire)
    plan = Layout.of(questionnaire.definition)
    arrays = MATRICES.get(stamp)
    if arrays is None:
        arrays = _read_fresh(questionnaire, plan)
    codes, numbers, days, imported, people, scores = arrays
    return ResponseData(plan, Matrix(codes, numbers), days, imported, people, scores)


def _read_fresh(questionnaire: Questionnaire, plan: Layout) -> tuple:
    from parlons.modules.surveys.services import recode_responses

    # A response submitted while the layout changed may still carry the older one.
    if counted_responses(questionnaire).exclude(fingerprint=questionnaire.fingerprint).exists():
        recode_responses(questionnaire=questionnaire)
    stamp = response_stamp(questionnaire=questionnaire)
    arrays = _read_arrays(questionnaire, plan)
    remember(stamp, arrays, questionnaire=questionnaire)
    return arrays


def remember(stamp: Stamp, arrays: tuple, *, questionnaire: Questionnaire) -> None:
    """Keep arrays read after ``stamp`` was taken if the stamp still holds once they are read.

    A write committed between the stamp and the read changed the version: its arrays are
    served, but not kept under a stamp that may not describe them.
    """
    if response_stamp(questionnaire=questionnaire) == stamp:
        MATRICES.put(stamp, arrays)


def _read_arrays(questionnaire: Questionnaire, plan: Layout) -> tuple:
    found = list(
        counted_responses(questionnaire)
        .order_by("pk")
        .values_list("codes", "numbers", "day", "origin", "participant_id", "score")
    )
    # One transpose in C rather than a Python loop over the rows.
    found_columns = list(zip(*found, strict=True)) if found else [()] * 6
    del found
    codes, numbers, days, origins, people, scores = found_columns
    matrix = stack(plan=plan, rows=zip(codes, numbers, strict=True))
    # Column-major: results read the matrix question by question, each a contiguous run.
    arrays = (
        np.asfortranarray(matrix.codes),
        np.asfortranarray(matrix.numbers),
        np.array([d or 0 for d in days], dtype=np.int64),
        np.array(origins, dtype=object) == Origin.IMPORTED,
        np.array([p or 0 for p in people], dtype=np.int64),
        np.array(scores, dtype=np.float64),
    )
    return arrays


DEMOGRAPHIC_FIELDS = ("age_band", "gender", "area_code")


def demographic_values(*, participants: NDArray[np.int64], field: str) -> list[str]:
    """One consented demographic value per response ("" when unknown), for aggregates only."""
    wanted = {int(p) for p in np.unique(participants) if p}
    with scopes_disabled():
        if field.startswith("extra:"):
            name = field.split(":", 1)[1]
            known = {
                pk: str((extra or {}).get(name, ""))
                for pk, extra in Demographics.objects.filter(participant__in=wanted).values_list(
                    "participant_id", "extra"
                )
            }
        else:
            known = dict(
                Demographics.objects.filter(participant__in=wanted).values_list(
                    "participant_id", field
                )
            )
    return [known.get(int(p), "") or "" for p in participants]


def extra_demographic_fields(*, questionnaire: Questionnaire) -> list[str]:
    """Organisation-defined demographic fields present among the respondents."""
    people = (
        counted_responses(questionnaire).filter(participant__isnull=False).values("participant")
    )
    names: set[str] = set()
    with scopes_disabled():
        for extra in Demographics.objects.filter(participant__in=people).values_list(
            "extra", flat=True
        )[:2000]:
            names.update(k for k in (extra or {}) if isinstance(k, str))
    return sorted(names)
