"""Signing, confirming and unsubscribing: the hot path of a petition.

A signature is one INSERT under the unique constraint (petition, normalised e-mail);
nothing else is written in the request.  The confirmation e-mail is owed through
``Signature.mail_due`` and sent in batches by :func:`~.mailing.do_send_signature_mails`;
its link carries a signed token (the signature's id and a timestamp), so no token is
stored.  A repeat signer gets the same answer as a new one, and an e-mail saying they
had already signed (or a fresh confirmation link if they never confirmed).
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core import signing
from django.core.cache import cache, caches
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parlons.core.permissions import decide
from parlons.lib.group_commit import GroupCommit
from parlons.modules.petitions.models import (
    COMMENT_MAX,
    NAME_MAX,
    POSTCODE_MAX,
    Mail,
    Petition,
    Signature,
    Status,
)
from parlons.modules.petitions.settings import setting

CONFIRM_SALT = "parlons.petitions.confirm"
UNSUBSCRIBE_SALT = "parlons.petitions.unsubscribe"
LINK_VALIDITY = timedelta(days=7)
# Throw-away mailbox providers: signatures from them are kept but not counted.
DISPOSABLE_DOMAINS = frozenset(
    {
        "mailinator.com",
        "guerrillamail.com",
        "10minutemail.com",
        "yopmail.com",
        "trashmail.com",
        "tempmail.com",
        "sharklasers.com",
        "getnada.com",
        "dispostable.com",
        "maildrop.cc",
    }
)
DOTLESS_DOMAINS = frozenset({"gmail.com", "googlemail.com"})

CLOSED = _("This petition is closed: it no longer takes signatures.")
INVALID_LINK = _("This confirmation link is not valid or has expired. Sign again to get a new one.")
REUSED_LINK = _("This signature is already confirmed: it counts once, thank you.")
TOO_MANY_FROM_HERE = _(
    "Too many signatures came from your connection in the last hour. Please try again later."
)
TOO_MANY_NOW = _(
    "This petition is receiving many signatures right now. Please try again in a minute."
)


@dataclass(frozen=True, kw_only=True)
class SignerInput:
    """What a signer typed, and where the request came from."""

    name: str
    email: str
    postcode: str
    consent: bool = False
    comment: str = ""
    language: str = "fr"
    ip: str | None = None
    honeypot: str = ""


def normalise_email(email: str) -> str:
    """One form per mailbox: lower case, no ``+tag``, no dots in Gmail local parts."""
    email = email.strip().lower()
    local, _at, domain = email.rpartition("@")
    local = local.split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


def petition_is_open(petition: Petition, now=None) -> bool:
    now = now or timezone.now()
    return (
        petition.status == Status.PUBLISHED
        and petition.closed_at is None
        and (petition.deadline is None or petition.deadline > now)
    )


def check_signer(*, signer: SignerInput) -> dict[str, str]:
    """The signer's fields, cleaned; a ValidationError (per field, translated) if any is wrong."""
    errors: dict[str, Any] = {}
    name = " ".join(signer.name.split())
    if not name:
        errors["name"] = _("Give your name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Your name is too long (at most %(max)d characters).") % {
            "max": NAME_MAX
        }
    email = signer.email.strip()
    try:
        validate_email(email)
        if len(email) > 254:
            raise ValidationError("long")
    except ValidationError:
        errors["email"] = _("Give a valid e-mail address, such as name@example.org.")
    postcode = "".join(signer.postcode.split()).upper()
    if not postcode or len(postcode) > POSTCODE_MAX or not postcode.replace("-", "").isalnum():
        errors["postcode"] = _("Give your postcode (letters, digits and dashes).")
    comment = signer.comment.strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = _("Your comment is too long (at most %(max)d characters).") % {
            "max": COMMENT_MAX
        }
    if errors:
        raise ValidationError(errors)
    return {"name": name, "email": normalise_email(email), "postcode": postcode, "comment": comment}


def check_may_sign(*, petition: Petition, person: Any) -> None:
    """Refuse (ValidationError) unless the petition is open and a live phase opens signing."""
    if not petition_is_open(petition):
        raise ValidationError(CLOSED, code="closed")
    if getattr(person, "is_authenticated", False):
        decision = decide(person=person, capability="sign", instance=petition.instance)
    else:  # the same for every guest: kept two seconds (see .memo)
        from parlons.modules.petitions.memo import guest_decisions

        decision = guest_decisions.get(
            petition.instance.pk,
            lambda: decide(person=person, capability="sign", instance=petition.instance),
        )
    if not decision:
        raise ValidationError(decision.message, code=decision.reason)


def _over(key: str, limit: int, window: int) -> bool:
    """Count one hit in a fixed window; True when the limit is passed (0: no limit)."""
    if not limit:
        return False
    slot = int(timezone.now().timestamp()) // window
    key = f"petitions:rl:{key}:{slot}"
    cache.add(key, 0, timeout=window + 5)
    try:
        return cache.incr(key) > limit
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 5)
        return limit < 1


def _over_all(limits: list[tuple[str, int, int]]) -> list[bool]:
    """:func:`_over` for several (key, limit, window) at once: one round trip to Redis.

    The keys and values are those of Django's cache API (``add`` then ``incr``), so both
    ways count in the same windows; other cache backends go through that API.
    """
    from django.core.cache.backends.redis import RedisCache

    live = [(key, limit, window) for key, limit, window in limits if limit]
    if not live:
        return [False] * len(limits)
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return [_over(key, limit, window) for key, limit, window in limits]
    now = int(timezone.now().timestamp())
    names = [
        backend.make_and_validate_key(f"petitions:rl:{key}:{now // window}")
        for key, _limit, window in live
    ]
    pipe = backend._cache.get_client(names[0], write=True).pipeline(transaction=False)
    for name, (_key, _limit, window) in zip(names, live, strict=True):
        pipe.set(name, 0, ex=window + 5, nx=True)
        pipe.incr(name)
    counts = pipe.execute()[1::2]
    over = iter(count > limit for count, (_k, limit, _w) in zip(counts, live, strict=True))
    return [next(over) if limit else False for _key, limit, _window in limits]


def check_rate(*, petition: Petition, ip: str | None) -> None:
    """The per-connection and per-petition limits of the instance's settings.

    Both windows are counted in one round trip (a hit refused by the per-connection
    limit still counts in the per-petition window).
    """
    instance = petition.instance
    per_ip = int(setting(instance, "signatures_per_ip_per_hour")) if ip else 0
    per_minute = int(setting(instance, "signatures_per_petition_per_minute"))
    ip_over, petition_over = _over_all(
        [(f"ip:{petition.pk}:{ip}", per_ip, 3600), (f"petition:{petition.pk}", per_minute, 60)]
    )
    if ip_over:
        raise ValidationError(TOO_MANY_FROM_HERE, code="rate_ip")
    if petition_over:
        raise ValidationError(TOO_MANY_NOW, code="rate_petition")


def suspicion_of(*, signer: SignerInput, cleaned: dict[str, str]) -> str:
    """Why a signature looks automated or fake ('' if it does not); never told to the client."""
    if signer.honeypot.strip():
        return "honeypot"
    domain = cleaned["email"].rpartition("@")[2]
    if domain in DISPOSABLE_DOMAINS:
        return "disposable-domain"
    lowered = cleaned["name"].lower()
    if "http://" in lowered or "https://" in lowered or "@" in lowered:
        return "address-in-name"
    return ""


def do_sign_petition(*, petition: Petition, person: Any, signer: SignerInput) -> int | None:
    """Sign ``petition``: check, then append one signature (or answer a repeat signer).

    Returns the new signature's id, or None for a repeat signer (who is e-mailed, and
    shown the same page).  An account holder signing with their own confirmed address
    counts at once; everyone else confirms by the e-mailed link.
    """
    check_may_sign(petition=petition, person=person)
    cleaned = check_signer(signer=signer)
    check_rate(petition=petition, ip=signer.ip)
    account = getattr(person, "is_authenticated", False)
    own = account and normalise_email(person.email) == cleaned["email"]
    now = timezone.now()
    pk = append_signature(
        petition_id=petition.pk,
        participant_id=person.pk if account else None,
        consent=bool(signer.consent),
        language=signer.language,
        ip=_ip(signer.ip),
        suspicious=suspicion_of(signer=signer, cleaned=cleaned),
        created_at=now,
        confirmed_at=now if own else None,
        mail_due=Mail.NONE if own else Mail.CONFIRM,
        **cleaned,
    )
    if pk is None:
        _answer_repeat(petition=petition, email=cleaned["email"])
    return pk


SIGNED_COLUMNS = (
    "petition_id",
    "participant_id",
    "email",
    "name",
    "postcode",
    "consent",
    "comment",
    "language",
    "ip",
    "created_at",
    "confirmed_at",
    "mail_due",
    "suspicious",
)


def append_signature(**values: Any) -> int | None:
    """Append one signature: the new row's id, or None when this e-mail has already
    signed this petition (the unique constraint decides; no exception, so no savepoint
    and nothing to roll back).

    ``values`` are the :data:`SIGNED_COLUMNS`; the other columns are NULL (nothing
    invalidated or unsubscribed yet).  On PostgreSQL, outside a transaction, the rows of
    all the threads of this process signing at the same moment are written by one
    statement (:data:`signatures_group`): the call returns once that statement, and so
    this row, is committed.
    """
    db = connections[DEFAULT_DB_ALIAS]  # once: each use of the ``connection`` proxy looks it up
    ops = db.ops
    values["ip"] = ops.adapt_ipaddressfield_value(values["ip"])
    values["created_at"] = ops.adapt_datetimefield_value(values["created_at"])
    values["confirmed_at"] = ops.adapt_datetimefield_value(values["confirmed_at"])
    row = tuple(values[c] for c in SIGNED_COLUMNS)
    if db.vendor == "postgresql" and not db.in_atomic_block:
        return signatures_group(row)
    return insert_signature(row)


_sql: dict[str, str] = {}


def execute_hot(sql: str, params: Any) -> tuple[list[tuple], int]:
    """Run one of the hand-built statements of signing and confirming: (rows it
    returned, rows it changed).

    On PostgreSQL, on a plain psycopg cursor of Django's connection, kept with it:
    parameters bound by the server (Django's cursors quote them in Python) and the
    statement prepared by psycopg after a few runs, so PostgreSQL does not parse and
    plan it each time.  Errors are Django's, and mark the connection as Django's cursor
    would.  Where queries are being logged (``DEBUG``, tests counting queries) Django's
    cursor runs it, so that it is counted.
    """
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or db.queries_logged:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return (cursor.fetchall() if cursor.description else []), cursor.rowcount
    db.ensure_connection()
    with db.wrap_database_errors:
        cursor = getattr(db, "_parlons_hot_cursor", None)
        if cursor is None or cursor.closed or cursor.connection is not db.connection:
            import psycopg

            cursor = db._parlons_hot_cursor = psycopg.Cursor(db.connection)
        cursor.execute(sql, params)
        return (cursor.fetchall() if cursor.description else []), cursor.rowcount


def _table_and_columns() -> tuple[str, str]:
    ops = connection.ops
    return (
        ops.quote_name(Signature._meta.db_table),
        ", ".join(ops.quote_name(c) for c in SIGNED_COLUMNS),
    )


def insert_signature(row: tuple) -> int | None:
    """One ``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` (built by hand rather than by
    the ORM: this is the statement of every signature of a spike, and the ORM's
    compilation of it cost more CPU than PostgreSQL's work)."""
    sql = _sql.get(f"one:{connection.vendor}")
    if sql is None:
        table, columns = _table_and_columns()
        marks = ", ".join(["%s"] * len(SIGNED_COLUMNS))
        sql = _sql[f"one:{connection.vendor}"] = (
            f"INSERT INTO {table} ({columns}) VALUES ({marks}) "
            "ON CONFLICT (petition_id, email) DO NOTHING RETURNING id"
        )
    found, _changed = execute_hot(sql, row)
    return found[0][0] if found else None


def insert_signatures(rows: list[tuple]) -> list[int | None]:
    """Many signatures in one ``INSERT ... SELECT FROM json_populate_recordset(...) ON
    CONFLICT DO NOTHING`` (PostgreSQL): one id per row, None for a row whose e-mail had
    already signed, or came twice in ``rows`` (the first one is written).

    The rows travel as one JSON parameter, typed by the table's own row type: encoding
    it is one call to the C encoder, where 13 arrays cost psycopg a Python call per value.
    """
    if len(rows) == 1:
        return [insert_signature(rows[0])]
    sql = _sql.get("many")
    if sql is None:
        table, columns = _table_and_columns()
        sql = _sql["many"] = (
            f"INSERT INTO {table} ({columns}) SELECT {columns} "
            f"FROM json_populate_recordset(NULL::{table}, %s::json) "
            "ON CONFLICT (petition_id, email) DO NOTHING RETURNING id, petition_id, email"
        )
    petition, email = SIGNED_COLUMNS.index("petition_id"), SIGNED_COLUMNS.index("email")
    first: dict[tuple, int] = {}
    for n, row in enumerate(rows):
        first.setdefault((row[petition], row[email]), n)
    unique = [rows[n] for n in first.values()]
    batch = json.dumps([dict(zip(SIGNED_COLUMNS, row, strict=True)) for row in unique], default=str)
    found, _changed = execute_hot(sql, [batch])
    made = {(p, e): pk for pk, p, e in found}
    return [
        made.get((row[petition], row[email])) if first[row[petition], row[email]] == n else None
        for n, row in enumerate(rows)
    ]


signatures_group = GroupCommit(many=insert_signatures, one=insert_signature)


def _answer_repeat(*, petition: Petition, email: str) -> None:
    """Owe the repeat signer an e-mail: a new link if unconfirmed, else 'already signed'."""
    Signature._base_manager.filter(petition=petition, email=email).update(
        mail_due=Case(
            When(confirmed_at__isnull=True, then=Value(Mail.CONFIRM)), default=Value(Mail.ALREADY)
        )
    )


_ips: dict[str, str] = {}  # an address as given → as stored ('' if not an address)


def _ip(value: str | None) -> str | None:
    if not value:
        return None
    found = _ips.get(value)
    if found is None:
        try:
            found = str(ipaddress.ip_address(value))
        except ValueError:
            found = ""
        if len(_ips) > 10_000:
            _ips.clear()
        _ips[value] = found
    return found or None


def confirmation_token(signature: Signature) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(signature.pk))


def unsubscribe_token(signature: Signature) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(signature.pk))


def do_confirm_signature(*, petition: Petition, token: str) -> int:
    """Count the signature named by ``token`` (one conditional UPDATE, safe in parallel);
    returns its id.

    An unknown, forged or expired link, a reused one, or a closed petition raise a
    translated ValidationError and change nothing.
    """
    try:
        pk = int(
            signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
                token, max_age=LINK_VALIDITY.total_seconds()
            )
        )
    except (signing.BadSignature, ValueError):
        raise ValidationError(INVALID_LINK, code="link") from None
    if petition_is_open(petition):
        # the common case in one statement; the reads below only say why it did nothing
        db = connections[DEFAULT_DB_ALIAS]
        row = (pk, petition.pk, db.ops.adapt_datetimefield_value(timezone.now()))
        if db.vendor == "postgresql" and not db.in_atomic_block:
            counted = confirmations_group(row)
        else:
            counted = confirm_signature(row)
        if counted:
            return pk
    signature = (
        Signature._base_manager.filter(pk=pk, petition=petition, email__isnull=False)
        .only("pk", "confirmed_at", "petition_id")
        .first()
    )
    if signature is None:
        raise ValidationError(INVALID_LINK, code="link")
    if signature.confirmed_at is not None:
        raise ValidationError(REUSED_LINK, code="reused")
    raise ValidationError(CLOSED, code="closed")


def confirm_signature(row: tuple) -> bool:
    """``UPDATE ... SET confirmed_at`` where still unconfirmed; True if it counted.

    ``row`` is (signature id, petition id, time).  Hand-built like
    :func:`insert_signature`: the ORM's compilation of this one statement cost more CPU
    than the rest of the confirmation request.
    """
    sql = _sql.get("confirm")
    if sql is None:  # the same on every backend (the table's name quoted alike)
        table = connection.ops.quote_name(Signature._meta.db_table)
        sql = _sql["confirm"] = (
            f"UPDATE {table} SET confirmed_at = %s WHERE id = %s AND petition_id = %s "
            "AND email IS NOT NULL AND confirmed_at IS NULL"
        )
    pk, petition_id, now = row
    _rows, changed = execute_hot(sql, [now, pk, petition_id])
    return changed == 1


def confirm_signatures(rows: list[tuple]) -> list[bool]:
    """Many confirmations in one ``UPDATE ... FROM unnest(...)`` (PostgreSQL): True for
    each row that counted; a link followed twice in ``rows`` counts on its first row."""
    if len(rows) == 1:
        return [confirm_signature(rows[0])]
    first: dict[tuple[int, int], int] = {}
    for n, (pk, petition, _now) in enumerate(rows):
        first.setdefault((pk, petition), n)
    unique = [rows[n] for n in first.values()]
    table = connection.ops.quote_name(Signature._meta.db_table)
    found, _changed = execute_hot(
        f"UPDATE {table} AS s SET confirmed_at = u.at "
        "FROM unnest(%s::bigint[], %s::bigint[], %s::timestamptz[]) AS u(id, petition, at) "
        "WHERE s.id = u.id AND s.petition_id = u.petition "
        "AND s.email IS NOT NULL AND s.confirmed_at IS NULL RETURNING s.id, s.petition_id",
        [list(column) for column in zip(*unique, strict=True)],
    )
    counted = set(found)
    return [row[:2] in counted and first[row[:2]] == n for n, row in enumerate(rows)]


confirmations_group = GroupCommit(many=confirm_signatures, one=confirm_signature)


def do_unsubscribe(*, petition: Petition, token: str) -> None:
    """Stop e-mails of this petition to the signer named by ``token`` (idempotent)."""
    try:
        pk = int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        raise ValidationError(_("This unsubscribe link is not valid."), code="link") from None
    Signature._base_manager.filter(pk=pk, petition=petition, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
