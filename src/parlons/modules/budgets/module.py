"""The ``budgets`` module: a participatory budget, from proposals to the follow-up."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from parlons.contributions.audit import contribution_audit_actions
from parlons.contributions.targets import Target
from parlons.contributions.tasks import counts_periodic
from parlons.core.registry import Exporter, ModuleDeclaration, PersonalData
from parlons.modules.budgets import hooks


def _demo(**kwargs):
    from parlons.modules.budgets.demo import load_demo

    load_demo(**kwargs)


def _export(name):
    def write(instance, stream):
        from parlons.modules.budgets import exports

        getattr(exports, name)(instance=instance, stream=stream)

    return write


def _personal(name):
    def call(**kwargs):
        from parlons.modules.budgets import personal_data

        return getattr(personal_data, name)(**kwargs)

    return call


PROJECT = Target(
    model="budgets.Project",
    module="budgets",
    url=hooks.project_url,
    title=hooks.project_title,
    actions={"comment": "comment", "report": "show", "moderate": "moderate"},
    rules=hooks.project_rules,
)

declaration = ModuleDeclaration(
    key="budgets",
    name=_("Participatory budget"),
    description=_(
        "Residents propose projects, evaluators review them, everyone votes; the results "
        "are computed by a published rule and anyone can recount them."
    ),
    capabilities=("show", "submit", "comment", "evaluate", "vote", "mediate", "moderate"),
    permissions=(
        "budgets.project:submit",
        "budgets.project:comment",
        "budgets.project:evaluate",
        "budgets.ballot:cast",
        "budgets.ballot:enter_paper",
        "budgets.budget:close",
        "budgets.project:moderate",
    ),
    urls="parlons.modules.budgets.urls",
    backoffice_urls="parlons.modules.budgets.backoffice_urls",
    api_router="parlons.modules.budgets.api.router",
    exporters=(
        Exporter(
            key="projects-csv",
            label=_("Projects and their evaluation (CSV)"),
            content_type="text/csv",
            write=_export("write_projects_csv"),
        ),
        Exporter(
            key="ballots-csv",
            label=_("Anonymised ballots of the closed votes (CSV)"),
            content_type="text/csv",
            write=_export("write_ballots_csv"),
        ),
        Exporter(
            key="results-csv",
            label=_("Results per project (CSV)"),
            content_type="text/csv",
            write=_export("write_results_csv"),
        ),
    ),
    audit_actions={
        **contribution_audit_actions("budgets"),
        "budgets.budget.saved": _("%(actor)s saved the budget %(target)s"),
        "budgets.budget.closed": _("%(actor)s closed the vote on %(target)s"),
        "budgets.budget.imported": _("%(actor)s imported the past budget %(target)s"),
        "budgets.project.submitted": _("%(actor)s proposed the project %(target)s"),
        "budgets.project.evaluated": _("%(actor)s evaluated the project %(target)s"),
        "budgets.project.followed_up": _("%(actor)s reported on the project %(target)s"),
        "budgets.ballot.cast": _("%(actor)s voted on %(target)s"),
        "budgets.ballot.changed": _("%(actor)s changed their ballot on %(target)s"),
        "budgets.ballot.paper_entered": _("%(actor)s entered a paper ballot on %(target)s"),
    },
    personal_data=PersonalData(export=_personal("export"), erase=_personal("erase")),
    limits=hooks.limits,
    periodic=(counts_periodic("budgets"),),
    demo=_demo,
)
