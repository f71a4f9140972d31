"""Reads: the questionnaire of an instance, drafts, and the responses as matrices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Q
from django.http import Http404
from numpy.typing import NDArray

from parlons.core.participants.models import Demographics
from parlons.core.processes.models import ModuleInstance
from parlons.core.processes.selectors import access_instance
from parlons.core.tenancy import scopes_disabled
from parlons.modules.surveys.coding import Layout, Matrix, stack
from parlons.modules.surveys.models import Origin, Questionnaire, Response, Status


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


def load_response_data(*, questionnaire: Questionnaire) -> ResponseData:
    """Every counted response in four flat arrays and two matrices, in one query.

    Reads only the binary rows and small integers (no JSON decoding): 100,000 responses
    load in about the time the database takes to send them.
    """
    from parlons.modules.surveys.services import recode_responses

    rows = counted_responses(questionnaire)
    if rows.filter(~Q(fingerprint=questionnaire.fingerprint)).exists():
        recode_responses(questionnaire=questionnaire)
    plan = Layout.of(questionnaire.definition)
    found = list(
        rows.order_by("pk").values_list(
            "codes", "numbers", "day", "origin", "participant_id", "score"
        )
    )
    # One transpose in C rather than a Python loop over the rows.
    found_columns = list(zip(*found, strict=True)) if found else [(), (), (), (), (), ()]
    codes, numbers, days, origins, people, scores = found_columns
    matrix = stack(plan=plan, rows=zip(codes, numbers, strict=True))
    return ResponseData(
        plan,
        matrix,
        np.array([d or 0 for d in days], dtype=np.int64),
        np.array(origins, dtype=object) == Origin.IMPORTED,
        np.array([p or 0 for p in people], dtype=np.int64),
        np.array(scores, dtype=np.float64),
    )


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
