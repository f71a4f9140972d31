"""The ``petitions`` module: a clear ask to a named target, signed with double opt-in,
counted in batches, followed by updates and the target's response."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from parlons.core.registry import Exporter, ModuleDeclaration, Periodic, PersonalData
from parlons.modules.petitions.settings import PetitionsSettingsForm


def _demo(**kwargs):
    from parlons.modules.petitions.demo import load_demo

    load_demo(**kwargs)


def _export(name):
    def write(instance, stream):
        from parlons.modules.petitions import exports

        getattr(exports, name)(instance, stream)

    return write


def _personal(name):
    def call(**kwargs):
        from parlons.modules.petitions import personal_data

        return getattr(personal_data, name)(**kwargs)

    return call


def _task(name: str) -> str:
    return f"parlons.modules.petitions.tasks.{name}"


declaration = ModuleDeclaration(
    key="petitions",
    name=_("Petition"),
    description=_(
        "A clear ask to a named decision-maker, with a goal and a deadline; signed by "
        "participants and guests (confirmed by e-mail), followed by updates and the answer."
    ),
    capabilities=("show", "sign", "submit", "moderate"),
    permissions=(
        "petitions.petition:edit",
        "petitions.petition:publish",
        "petitions.signature:sign",
        "petitions.signature:invalidate",
        "petitions.update:post",
    ),
    settings_form=PetitionsSettingsForm,
    urls="parlons.modules.petitions.urls",
    backoffice_urls="parlons.modules.petitions.backoffice_urls",
    api_router="parlons.modules.petitions.api.router",
    exporters=(
        Exporter(
            key="petitions-signatures-csv",
            label=_("Signatures of consenting signers (CSV)"),
            content_type="text/csv",
            write=_export("instance_signatures"),
        ),
        Exporter(
            key="petitions-areas-csv",
            label=_("Signatures by area (CSV)"),
            content_type="text/csv",
            write=_export("instance_areas"),
            public=True,
        ),
    ),
    audit_actions={
        "petitions.petition.created": _("%(actor)s created the petition %(target)s"),
        "petitions.petition.edited": _("%(actor)s edited the petition %(target)s"),
        "petitions.petition.published": _("%(actor)s published the petition %(target)s"),
        "petitions.petition.rejected": _("%(actor)s rejected the petition %(target)s"),
        "petitions.petition.closed": _("the petition %(target)s closed at its deadline"),
        "petitions.update.posted": _("%(actor)s posted an update of %(target)s"),
        "petitions.response.published": _("%(actor)s published the response to %(target)s"),
        "petitions.signatures.invalidated": _("%(actor)s set aside signatures of %(target)s"),
        "petitions.signers.anonymised": _("the signers of %(target)s were anonymised"),
    },
    personal_data=PersonalData(export=_personal("export"), erase=_personal("erase")),
    periodic=(
        Periodic(
            key="petitions.mails.send",
            every=timedelta(seconds=2),
            task=_task("send_signature_mails"),
        ),
        Periodic(
            key="petitions.counts.aggregate",
            every=timedelta(seconds=5),
            task=_task("count_signatures"),
        ),
        Periodic(
            key="petitions.petitions.close",
            every=timedelta(minutes=1),
            task=_task("close_due_petitions"),
        ),
        Periodic(
            key="petitions.signers.anonymise",
            every=timedelta(hours=6),
            task=_task("anonymise_closed_petitions"),
        ),
    ),
    demo=_demo,
)
