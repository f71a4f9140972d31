"""What a module declares about itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, kw_only=True)
class Capability:
    """A verb a phase can open on a module instance.

    ``roles`` empty means any participant may use it while a phase opens it; otherwise
    only members of the organisation with one of these roles may (staff work such as
    evaluation).  ``guests`` says whether a person without an account may use it where
    the instance allows guests.
    """

    key: str
    label: Any
    roles: tuple[str, ...] = ()
    guests: bool = False


# The verbs of the glossary.  A module names those it offers; it may not invent others
# without adding them here, so that phases and permissions speak one language.
CAPABILITIES: Mapping[str, Capability] = {
    c.key: c
    for c in (
        Capability(key="show", label=_("show")),
        Capability(key="submit", label=_("submit")),
        Capability(key="comment", label=_("comment")),
        Capability(key="support", label=_("support")),
        Capability(key="vote", label=_("vote")),
        Capability(key="answer", label=_("answer"), guests=True),
        Capability(key="sign", label=_("sign"), guests=True),
        Capability(key="register", label=_("register"), guests=True),
        Capability(key="interpellate", label=_("interpellate"), guests=True),
        Capability(key="argue", label=_("argue")),
        Capability(key="amend", label=_("amend")),
        Capability(key="evaluate", label=_("evaluate"), roles=("admin", "evaluator")),
        Capability(key="moderate", label=_("moderate"), roles=("admin", "moderator")),
        Capability(
            key="mediate", label=_("enter paper contributions"), roles=("admin", "mediator")
        ),
    )
}


@dataclass(frozen=True, kw_only=True)
class Exporter:
    """A download an organiser can take: ``write(instance, stream)`` writes the file."""

    key: str
    label: Any
    content_type: str
    write: Callable[..., None]
    public: bool = False


@dataclass(frozen=True, kw_only=True)
class Periodic:
    """A task that runs every ``every`` (a timedelta); ``task`` is its dotted path.

    ``key`` is namespaced by the module (``petitions.counts.aggregate``).
    """

    key: str
    every: Any
    task: str


@dataclass(frozen=True, kw_only=True)
class PersonalData:
    """How a module exports and erases what it holds about one participant.

    ``export(participant) -> dict`` returns JSON-ready data; ``erase(participant)``
    anonymises contributions and deletes personal data, keeping tallies.
    """

    export: Callable[..., dict]
    erase: Callable[..., None]


@dataclass(frozen=True, kw_only=True)
class ModuleDeclaration:
    """Everything Parlons needs to know about a module, in one place.

    ``key`` is the app label, the folder, the URL namespace and the template folder.
    ``phase_combinations`` lists the sets of capabilities one phase may open together
    (empty: any subset of ``capabilities``).  ``settings_form`` validates an instance's
    settings.  ``urls``/``backoffice_urls`` are dotted urlconf modules; ``api_router``
    the dotted path of a django-ninja ``Router``.  ``audit_actions`` maps each audit code
    the module writes to a sentence with ``%(actor)s`` and ``%(target)s``.
    ``limits(instance=, person=, capability=)`` returns a refusal message or None.
    ``insights`` maps a reader name to a callable used by dashboards and synthesis.
    ``periodic`` lists tasks that ``parlons worker`` enqueues on schedule.
    ``guest_confirmed(request=, guest=)`` answers a guest who followed the confirmation
    link of :func:`parlons.core.participants.guests.do_open_guest` for this module.
    """

    key: str
    name: Any
    description: Any = ""
    capabilities: tuple[str, ...] = ("show",)
    phase_combinations: tuple[frozenset[str], ...] = ()
    permissions: tuple[str, ...] = ()
    settings_form: type | None = None
    urls: str | None = None
    backoffice_urls: str | None = None
    organisation_urls: str | None = None
    organisation_menu: Any = ""
    api_router: str | None = None
    exporters: tuple[Exporter, ...] = ()
    insights: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    audit_actions: Mapping[str, Any] = field(default_factory=dict)
    personal_data: PersonalData | None = None
    limits: Callable[..., Any] | None = None
    demo: Callable[..., None] | None = None
    periodic: tuple[Periodic, ...] = ()
    guest_confirmed: Callable[..., Any] | None = None
