"""The batch work: public counts, closing at the deadline, anonymising after the close.

Counts are recomputed from the append-only signatures by one grouped query; the
petition row is written only here, never in a signing request.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from parlons.core.audit.services import log_action
from parlons.core.processes.models import Area, Visibility
from parlons.core.tenancy import scopes_disabled
from parlons.modules.petitions import public_counts
from parlons.modules.petitions.models import Petition, Signature, Status
from parlons.modules.petitions.settings import setting

COUNTED = Q(confirmed_at__isnull=False, suspicious="", invalidated_at__isnull=True)
RECOUNT_AFTER_CLOSE = timedelta(hours=1)
UNKNOWN_AREA = ""


def _area_of_postcode(process_ids) -> dict[int, dict[str, str]]:
    """For each process, postcode → area code (from the process's areas)."""
    found: dict[int, dict[str, str]] = defaultdict(dict)
    rows = Area.processes.through.objects.filter(process_id__in=process_ids).values_list(
        "process_id", "area__code", "area__postcodes"
    )
    for process_id, code, postcodes in rows:
        for postcode in postcodes or []:
            found[process_id]["".join(str(postcode).split()).upper()] = code
    return found


def _guest_may_see(petition: Petition) -> bool:
    """As ``count.json`` answers a guest: the process published and not private."""
    process = petition.instance.process
    return process.published and process.visibility != Visibility.PRIVATE


def _remove_stale_count_files(*, written: set[int]) -> None:
    """Remove the count files of petitions a guest may no longer see (withdrawn, hidden);
    those no longer recounted (closed long ago, anonymised) keep their final count."""
    others = public_counts.count_file_pks() - written
    if not others:
        return
    kept = {
        petition.pk
        for petition in Petition._base_manager.filter(
            pk__in=others, status=Status.PUBLISHED
        ).select_related("instance__process")
        if _guest_may_see(petition)
    }
    for pk in others - kept:
        public_counts.remove_count_file(pk)


def do_count_signatures(*, now=None) -> int:
    """Recount the petitions still moving and write their public count files (see
    :mod:`.public_counts`); returns how many petitions changed count."""
    now = now or timezone.now()
    with scopes_disabled():
        petitions = list(
            Petition.objects.filter(status=Status.PUBLISHED, anonymised_at__isnull=True)
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=now - RECOUNT_AFTER_CLOSE))
            .select_related("instance__process")
        )
        changed = _recount(petitions, now=now) if petitions else 0
        written = set()
        for petition in petitions:
            if _guest_may_see(petition):
                public_counts.write_count_file(petition)
                written.add(petition.pk)
        _remove_stale_count_files(written=written)
    return changed


def _recount(petitions: list[Petition], *, now) -> int:
    """Count each petition's signatures by area and store them on its row (and on the
    loaded object, for its count file); returns how many changed."""
    areas = _area_of_postcode({p.instance.process_id for p in petitions})
    by_petition: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        Signature._base_manager.filter(COUNTED, petition__in=petitions)
        .values_list("petition_id", "postcode")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for petition_id, postcode, n in rows:
        by_petition[petition_id][postcode] += n
    changed = 0
    for petition in petitions:
        mapping = areas.get(petition.instance.process_id, {})
        by_area: dict[str, int] = defaultdict(int)
        for postcode, n in by_petition[petition.pk].items():
            by_area[mapping.get(postcode, UNKNOWN_AREA)] += n
        total = sum(by_area.values())
        if total != petition.signature_count or dict(by_area) != petition.counts_by_area:
            changed += 1
        Petition._base_manager.filter(pk=petition.pk).update(
            signature_count=total, counts_by_area=dict(by_area), counted_at=now
        )
        petition.signature_count, petition.counts_by_area = total, dict(by_area)
        petition.counted_at = now
    return changed


def do_close_due_petitions(*, now=None) -> int:
    """Close the petitions whose deadline has passed (signing stops); returns how many."""
    now = now or timezone.now()
    with scopes_disabled():
        due = list(
            Petition.objects.filter(
                status=Status.PUBLISHED, closed_at__isnull=True, deadline__lte=now
            )
        )
        for petition in due:
            with transaction.atomic():
                closed = Petition._base_manager.filter(
                    pk=petition.pk, closed_at__isnull=True
                ).update(closed_at=now)
                if closed:
                    log_action(actor=None, code="petitions.petition.closed", target=petition)
    do_count_signatures(now=now)
    return len(due)


def do_anonymise_closed_petitions(*, now=None) -> int:
    """Erase signers' personal data of petitions closed long enough ago; counts stay."""
    now = now or timezone.now()
    done = 0
    with scopes_disabled():
        closed = Petition.objects.filter(
            closed_at__isnull=False, anonymised_at__isnull=True
        ).select_related("instance")
        for petition in closed:
            days = int(setting(petition.instance, "anonymise_after_days"))
            if petition.closed_at + timedelta(days=days) > now:
                continue
            do_count_signatures(now=now)  # the count is final before the data goes
            with transaction.atomic():
                Signature._base_manager.filter(petition=petition).update(
                    email=None, name="", ip=None, participant=None, mail_due=0
                )
                Petition._base_manager.filter(pk=petition.pk).update(anonymised_at=now)
                log_action(actor=None, code="petitions.signers.anonymised", target=petition)
            done += 1
    return done
