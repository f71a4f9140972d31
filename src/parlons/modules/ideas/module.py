"""The ``ideas`` module: an idea box, the first user of the contribution toolkit."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parlons.contributions.audit import contribution_audit_actions
from parlons.contributions.targets import Target
from parlons.contributions.tasks import counts_periodic
from parlons.core.registry import Exporter, ModuleDeclaration, PersonalData
from parlons.modules.ideas import hooks
from parlons.modules.ideas.models import ANSWERS
from parlons.modules.ideas.settings import IdeasSettingsForm


def _demo(**kwargs):
    from parlons.modules.ideas.demo import load_demo

    load_demo(**kwargs)


def _export(name):
    def write(instance, stream):
        from parlons.modules.ideas import exports

        getattr(exports, name)(instance=instance, stream=stream)

    return write


def _personal(name):
    def call(**kwargs):
        from parlons.modules.ideas import personal_data

        return getattr(personal_data, name)(**kwargs)

    return call


IDEA = Target(
    model="ideas.Idea",
    module="ideas",
    url=hooks.idea_url,
    title=hooks.idea_title,
    actions={
        "comment": "comment",
        "support": "support",
        "report": "show",
        "answer": "evaluate",
        "moderate": "moderate",
    },
    statuses=tuple((status.value, status.label) for status in ANSWERS),
    rules=hooks.idea_rules,
    on_answered=hooks.idea_answered,
    on_counted=hooks.ideas_counted,
)

declaration = ModuleDeclaration(
    key="ideas",
    name=_("Idea box"),
    description=_(
        "Participants submit ideas, support and discuss them; the organisers answer each one."
    ),
    capabilities=("show", "submit", "comment", "support", "evaluate", "moderate"),
    permissions=(
        "ideas.idea:submit",
        "ideas.idea:edit",
        "ideas.idea:support",
        "ideas.idea:comment",
        "ideas.idea:evaluate",
        "ideas.idea:moderate",
    ),
    settings_form=IdeasSettingsForm,
    urls="parlons.modules.ideas.urls",
    backoffice_urls="parlons.modules.ideas.backoffice_urls",
    api_router="parlons.modules.ideas.api.router",
    exporters=(
        Exporter(
            key="ideas-csv",
            label=_("Ideas (CSV)"),
            content_type="text/csv",
            write=_export("write_ideas_csv"),
        ),
        Exporter(
            key="comments-csv",
            label=_("Comments (CSV)"),
            content_type="text/csv",
            write=_export("write_comments_csv"),
        ),
        Exporter(
            key="supports-csv",
            label=_("Supports (CSV)"),
            content_type="text/csv",
            write=_export("write_supports_csv"),
        ),
        Exporter(
            key="all-xlsx",
            label=_("Ideas, comments and supports (XLSX)"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            write=_export("write_xlsx"),
        ),
    ),
    audit_actions={
        **contribution_audit_actions("ideas"),
        "ideas.idea.submitted": _("%(actor)s submitted an idea (%(target)s)"),
        "ideas.idea.edited": _("%(actor)s edited an idea (%(target)s)"),
        "ideas.idea.withdrawn": _("%(actor)s withdrew an idea (%(target)s)"),
        "ideas.category.saved": _("%(actor)s saved a category (%(target)s)"),
        "ideas.category.deleted": _("%(actor)s deleted a category (%(target)s)"),
        "ideas.settings.updated": _("%(actor)s changed the settings of %(target)s"),
        "ideas.ideas.imported": _("%(actor)s imported ideas into %(target)s"),
    },
    personal_data=PersonalData(export=_personal("export"), erase=_personal("erase")),
    limits=hooks.limits,
    periodic=(counts_periodic("ideas"),),
    demo=_demo,
)
