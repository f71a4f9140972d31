"""The ``debates`` module: a text consulted article by article, a question debated for
and against, an opinion map of short statements (one kind per instance)."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from parlons.contributions.audit import contribution_audit_actions
from parlons.contributions.targets import Target
from parlons.contributions.tasks import counts_periodic
from parlons.core.registry import Exporter, ModuleDeclaration, Periodic, PersonalData
from parlons.modules.debates import hooks
from parlons.modules.debates.settings import DebatesSettingsForm

ANSWER_STATUSES = (
    ("taken_into_account", _("Taken into account in the text")),
    ("partly", _("Partly taken into account")),
    ("not_retained", _("Not retained")),
    ("already_covered", _("Already covered elsewhere")),
)


def _demo(**kwargs):
    from parlons.modules.debates.demo import load_demo

    load_demo(**kwargs)


def _export(name):
    def write(instance, stream):
        from parlons.modules.debates import exports

        getattr(exports, name)(instance=instance, stream=stream)

    return write


def _personal(name):
    def call(**kwargs):
        from parlons.modules.debates import personal_data

        return getattr(personal_data, name)(**kwargs)

    return call


ARTICLE = Target(
    model="debates.Article",
    module="debates",
    url=hooks.article_url,
    title=hooks.article_title,
    actions={"comment": "argue", "report": "show", "answer": "evaluate", "moderate": "moderate"},
    statuses=ANSWER_STATUSES,
    comment_depth=2,
)
AMENDMENT = Target(
    model="debates.Amendment",
    module="debates",
    url=hooks.amendment_url,
    title=hooks.amendment_title,
    actions={
        "comment": "argue",
        "support": "vote",
        "oppose": "vote",
        "report": "show",
        "moderate": "moderate",
    },
    comment_depth=2,
)
QUESTION = Target(
    model="debates.Question",
    module="debates",
    url=hooks.question_url,
    title=hooks.question_title,
    author_field=None,
    actions={"comment": "argue", "report": "show", "moderate": "moderate"},
    comment_depth=2,
)
STATEMENT = Target(
    model="debates.Statement",
    module="debates",
    url=hooks.statement_url,
    title=hooks.statement_title,
    actions={"report": "show", "moderate": "moderate"},
    alignment=False,
    rules=hooks.statement_rules,
)
TARGETS = (ARTICLE, AMENDMENT, QUESTION, STATEMENT)

declaration = ModuleDeclaration(
    key="debates",
    name=_("Debate"),
    description=_(
        "A text consulted article by article, a question debated for and against, or an "
        "opinion map that shows where participants agree."
    ),
    capabilities=("show", "vote", "amend", "argue", "submit", "evaluate", "moderate"),
    permissions=(
        "debates.article:vote",
        "debates.article:propose",
        "debates.article:amend",
        "debates.article:argue",
        "debates.question:position",
        "debates.statement:submit",
        "debates.statement:vote",
        "debates.article:answer",
        "debates.statement:moderate",
    ),
    settings_form=DebatesSettingsForm,
    urls="parlons.modules.debates.urls",
    backoffice_urls="parlons.modules.debates.backoffice_urls",
    api_router="parlons.modules.debates.api.router",
    exporters=(
        Exporter(
            key="articles-csv",
            label=_("Articles and their votes (CSV)"),
            content_type="text/csv",
            write=_export("write_articles_csv"),
        ),
        Exporter(
            key="amendments-csv",
            label=_("Amendments (CSV)"),
            content_type="text/csv",
            write=_export("write_amendments_csv"),
        ),
        Exporter(
            key="arguments-csv",
            label=_("Arguments (CSV)"),
            content_type="text/csv",
            write=_export("write_arguments_csv"),
        ),
        Exporter(
            key="votes-csv",
            label=_("Votes, per pseudonymous participant (CSV)"),
            content_type="text/csv",
            write=_export("write_votes_csv"),
        ),
        Exporter(
            key="map-csv",
            label=_("Opinion map: positions and groups (CSV)"),
            content_type="text/csv",
            write=_export("write_map_csv"),
        ),
        Exporter(
            key="polis-zip",
            label=_("Opinion map in the Polis open-data format (ZIP)"),
            content_type="application/zip",
            write=_export("write_polis_zip"),
        ),
    ),
    audit_actions={
        **contribution_audit_actions("debates"),
        "debates.text.imported": _("%(actor)s imported a text into %(target)s"),
        "debates.article.proposed": _("%(actor)s proposed an article (%(target)s)"),
        "debates.article.voted": _("%(actor)s voted on an article (%(target)s)"),
        "debates.amendment.proposed": _("%(actor)s proposed an amendment (%(target)s)"),
        "debates.argument.posted": _("%(actor)s posted an argument on %(target)s"),
        "debates.source.added": _("%(actor)s added a source to %(target)s"),
        "debates.question.saved": _("%(actor)s saved a question (%(target)s)"),
        "debates.position.taken": _("%(actor)s took a position on %(target)s"),
        "debates.statement.submitted": _("%(actor)s submitted a statement (%(target)s)"),
        "debates.statement.moderated": _("%(actor)s moderated a statement (%(target)s)"),
        "debates.statement.voted": _("%(actor)s voted on a statement (%(target)s)"),
        "debates.conversation.imported": _("%(actor)s imported a conversation into %(target)s"),
    },
    personal_data=PersonalData(export=_personal("export"), erase=_personal("erase")),
    limits=hooks.limits,
    periodic=(
        counts_periodic("debates"),
        Periodic(
            key="debates.maps.refresh",
            every=timedelta(seconds=10),
            task="parlons.modules.debates.tasks.refresh_maps",
        ),
    ),
    demo=_demo,
)
