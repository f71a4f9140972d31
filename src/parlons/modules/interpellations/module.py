"""The ``interpellations`` module: participants question their own representatives on a
campaign's proposals, and a public scoreboard shows where each one stands."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parlons.core.registry import Exporter, ModuleDeclaration, PersonalData
from parlons.modules.interpellations.settings import InterpellationsSettingsForm
from parlons.modules.interpellations.tasks import FOLLOWUPS


def _demo(**kwargs):
    from parlons.modules.interpellations.demo import load_demo

    load_demo(**kwargs)


def _export(name):
    def write(instance, stream):
        from parlons.modules.interpellations import exports

        getattr(exports, name)(instance=instance, stream=stream)

    return write


def _personal(name):
    def call(**kwargs):
        from parlons.modules.interpellations import personal_data

        return getattr(personal_data, name)(**kwargs)

    return call


def _guest_confirmed(**kwargs):
    from parlons.modules.interpellations.views import guest_confirmed

    return guest_confirmed(**kwargs)


declaration = ModuleDeclaration(
    key="interpellations",
    name=_("Interpellation of representatives"),
    description=_(
        "Participants find their representatives from their postcode and write to them on "
        "the campaign's proposals; a public scoreboard shows where each one stands."
    ),
    capabilities=("show", "interpellate"),
    permissions=(
        "interpellations.message:send",
        "interpellations.stance:record",
        "interpellations.directory:import",
    ),
    settings_form=InterpellationsSettingsForm,
    urls="parlons.modules.interpellations.urls",
    backoffice_urls="parlons.modules.interpellations.backoffice_urls",
    organisation_urls="parlons.modules.interpellations.organisation_urls",
    organisation_menu=_("Representatives"),
    api_router="parlons.modules.interpellations.api.router",
    exporters=(
        Exporter(
            key="stances-csv",
            label=_("Stances of the representatives (CSV)"),
            content_type="text/csv",
            write=_export("write_stances_csv"),
            public=True,
        ),
        Exporter(
            key="messages-csv",
            label=_("Messages received by each representative (CSV)"),
            content_type="text/csv",
            write=_export("write_message_counts_csv"),
            public=True,
        ),
    ),
    audit_actions={
        "interpellations.directory.created": _("%(actor)s created the directory %(target)s"),
        "interpellations.directory.imported": _("%(actor)s imported the directory %(target)s"),
        "interpellations.campaign.saved": _("%(actor)s set up the campaign %(target)s"),
        "interpellations.proposal.saved": _("%(actor)s saved a proposal (%(target)s)"),
        "interpellations.proposal.deleted": _("%(actor)s deleted a proposal (%(target)s)"),
        "interpellations.message.written": _("%(actor)s wrote to representatives in %(target)s"),
        "interpellations.message.confirmed": _("a guest confirmed their messages in %(target)s"),
        "interpellations.reply.reported": _(
            "a participant said whether they had a reply in %(target)s"
        ),
        "interpellations.stance.recorded": _("%(actor)s recorded stances in %(target)s"),
        "interpellations.stance_links.sent": _("%(actor)s sent personal links in %(target)s"),
        "interpellations.settings.updated": _("%(actor)s changed the settings of %(target)s"),
    },  # fmt: skip
    personal_data=PersonalData(export=_personal("export"), erase=_personal("erase")),
    periodic=(FOLLOWUPS,),
    guest_confirmed=_guest_confirmed,
    demo=_demo,
)
