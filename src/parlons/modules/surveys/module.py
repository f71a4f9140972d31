"""The ``surveys`` module: questionnaires and quizzes, their results and their weighting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from parlons.core.registry import Exporter, ModuleDeclaration, PersonalData


class SurveysSettingsForm(forms.Form):
    """``ModuleInstance.settings`` of a questionnaire."""

    allow_guests = forms.BooleanField(required=False)


def _demo(**kwargs):
    from parlons.modules.surveys.demo import load_demo

    load_demo(**kwargs)


def _export(**kwargs):
    from parlons.modules.surveys.personal_data import export

    return export(**kwargs)


def _erase(**kwargs):
    from parlons.modules.surveys.personal_data import erase

    erase(**kwargs)


def _guest_confirmed(**kwargs):
    from parlons.modules.surveys.services import guest_confirmed

    return guest_confirmed(**kwargs)


def _writer(name):
    def write(instance, stream):
        from parlons.modules.surveys import exports

        getattr(exports, name)(instance, stream)

    return write


declaration = ModuleDeclaration(
    key="surveys",
    name=_("Questionnaire or quiz"),
    description=_(
        "Questions on pages, answered by participants or guests; live results, "
        "cross-tabs, weighting to the population, exports."
    ),
    capabilities=("show", "answer"),
    phase_combinations=(frozenset({"show"}), frozenset({"show", "answer"})),
    permissions=("surveys.questionnaire:edit", "surveys.response:answer", "surveys.results:read"),
    settings_form=SurveysSettingsForm,
    urls="parlons.modules.surveys.urls",
    backoffice_urls="parlons.modules.surveys.backoffice_urls",
    api_router="parlons.modules.surveys.api.router",
    exporters=(
        Exporter(
            key="surveys-csv-codes",
            label=_("Responses, CSV (codes)"),
            content_type="text/csv",
            write=_writer("write_csv_codes"),
        ),
        Exporter(
            key="surveys-csv-labels",
            label=_("Responses, CSV (labels)"),
            content_type="text/csv",
            write=_writer("write_csv_labels"),
        ),
        Exporter(
            key="surveys-xlsx",
            label=_("Responses, XLSX"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            write=_writer("write_xlsx"),
        ),
        Exporter(
            key="surveys-codebook",
            label=_("Codebook, CSV"),
            content_type="text/csv",
            write=_writer("write_codebook"),
        ),
    ),
    audit_actions={
        "surveys.questionnaire.edited": _("%(actor)s edited the questionnaire %(target)s"),
        "surveys.questionnaire.configured": _(
            "%(actor)s changed the settings of the questionnaire %(target)s"
        ),
        "surveys.questionnaire.duplicated": _(
            "%(actor)s duplicated a questionnaire into %(target)s"
        ),
        "surveys.results.published": _("%(actor)s published the results of %(target)s"),
        "surveys.results.withdrawn": _("%(actor)s withdrew the results of %(target)s"),
        "surveys.margins.saved": _("%(actor)s entered population margins for %(target)s"),
        "surveys.response.submitted": _("%(actor)s answered the questionnaire %(target)s"),
        "surveys.response.confirmed": _("a guest confirmed a response to %(target)s"),
        "surveys.responses.imported": _("%(actor)s imported responses into %(target)s"),
    },
    personal_data=PersonalData(export=_export, erase=_erase),
    guest_confirmed=_guest_confirmed,
    demo=_demo,
)
