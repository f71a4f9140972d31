"""Organisers' pages: the builder, results, cross-tabs, weighting, exports and imports."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parlons.core.permissions.access import organiser_required
from parlons.core.processes.models import Area, ModuleInstance
from parlons.core.processes.services import do_save_instance
from parlons.lib.i18n import pick
from parlons.modules.surveys import builder, exports, services
from parlons.modules.surveys.definition import questions_by_key
from parlons.modules.surveys.forms import (
    DefinitionImportForm,
    DuplicateForm,
    PageForm,
    QuestionForm,
    ResponsesUploadForm,
    SectionForm,
    SettingsForm,
)
from parlons.modules.surveys.importing import (
    DEFAULT_MISSING,
    do_import_responses,
    importable_fields,
    read_csv,
)
from parlons.modules.surveys.models import TextAnswer
from parlons.modules.surveys.selectors import (
    extra_demographic_fields,
    get_or_create_questionnaire,
    load_response_data,
)
from parlons.modules.surveys.widgets import widget

EDITORS = ("admin",)
READERS = ("admin", "analyst")


def _load(process_slug, instance_slug):
    instance = get_object_or_404(
        ModuleInstance.objects.select_related("process__organisation"),
        process__slug=process_slug,
        slug=instance_slug,
        module="surveys",
    )
    return instance, get_or_create_questionnaire(instance=instance)


def _context(instance, questionnaire, **extra):
    return {
        "instance": instance,
        "process": instance.process,
        "questionnaire": questionnaire,
        **extra,
    }


def _back(request, instance, name="index", **kwargs):
    return redirect(
        f"bo_surveys:{name}",
        request.organisation.slug,
        instance.process.slug,
        instance.slug,
        **kwargs,
    )


def _save(request, questionnaire, definition, form=None) -> bool:
    try:
        services.do_save_definition(
            questionnaire=questionnaire, definition=definition, actor=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            if form is not None:
                form.add_error(None, message)
            else:
                messages.error(request, message)
        return False
    return True


@organiser_required(*READERS)
def index(request, organisation_slug, process_slug, instance_slug):
    instance, questionnaire = _load(process_slug, instance_slug)
    if request.method == "POST" and "admin" in request.roles:
        action, key = request.POST.get("action", ""), request.POST.get("key", "")
        definition = questionnaire.definition
        if action == "delete":
            new = builder.remove(definition, key=key)
        elif action in ("up", "down"):
            new = builder.move(definition, key=key, step=-1 if action == "up" else 1)
        else:
            raise Http404("No such action")
        if _save(request, questionnaire, new):
            messages.success(request, _("The questionnaire was saved."))
        return _back(request, instance)
    section_form = SectionForm(languages=instance.process.languages)
    return render(
        request,
        "surveys/bo/index.html",
        _context(
            instance,
            questionnaire,
            section_form=section_form,
            count=questionnaire.responses.filter(status="complete").count(),
        ),
    )


@organiser_required(*EDITORS)
def section(request, organisation_slug, process_slug, instance_slug):
    instance, questionnaire = _load(process_slug, instance_slug)
    form = SectionForm(request.POST or None, languages=instance.process.languages)
    if request.method == "POST" and form.is_valid():
        definition = {**questionnaire.definition}
        definition["sections"] = [
            *definition["sections"],
            {"key": form.cleaned_data["key"], "title": form.cleaned_data["title"]},
        ]
        if _save(request, questionnaire, definition, form):
            messages.success(request, _("The questionnaire was saved."))
            return _back(request, instance)
    return render(
        request,
        "surveys/bo/form.html",
        _context(instance, questionnaire, form=form, title=_("Add a section")),
    )


@organiser_required(*EDITORS)
def settings_view(request, organisation_slug, process_slug, instance_slug):
    instance, questionnaire = _load(process_slug, instance_slug)
    form = SettingsForm(
        request.POST or None,
        languages=instance.process.languages,
        initial_texts={"intro": questionnaire.intro, "thanks": questionnaire.thanks},
        initial={
            "is_quiz": questionnaire.is_quiz,
            "one_response": questionnaire.one_response,
            "allow_guests": instance.settings.get("allow_guests", False),
            "confirm_guests": questionnaire.confirm_guests,
            "min_cell_size": questionnaire.min_cell_size,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.do_save_settings(questionnaire=questionnaire, values=data, actor=request.user)
            do_save_instance(
                process=instance.process,
                actor=request.user,
                instance=instance,
                values={
                    "module": "surveys",
                    "settings": {**instance.settings, "allow_guests": data["allow_guests"]},
                },
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The settings were saved."))
            return _back(request, instance)
    return render(
        request,
        "surveys/bo/form.html",
        _context(instance, questionnaire, form=form, title=_("Questionnaire settings")),
    )


def _choices(questions) -> list[tuple[str, str]]:
    return [(q["key"], f"{q['key']} — {pick(q['text'])}") for q in questions]


@organiser_required(*EDITORS)
def page_edit(request, organisation_slug, process_slug, instance_slug, page_key=None):
    instance, questionnaire = _load(process_slug, instance_slug)
    definition = questionnaire.definition
    existing = next((p for p in definition["pages"] if p["key"] == page_key), None)
    if page_key and existing is None:
        raise Http404("No such page")
    form = PageForm(
        request.POST or None,
        languages=instance.process.languages,
        sections=definition["sections"],
        earlier=_choices(builder.earlier_questions(definition, before_page=page_key)),
        condition=existing.get("condition") if existing else None,
        initial_texts={"title": existing["title"], "description": existing["description"]}
        if existing
        else {},
        initial={"key": existing["key"], "section": existing["section"]}
        if existing
        else {"key": f"p{len(definition['pages']) + 1}"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_page = {
            "key": data["key"],
            "section": data["section"],
            "title": data["title"],
            "description": data["description"],
            "condition": form.condition(),
        }
        if _save(
            request,
            questionnaire,
            builder.put_page(definition, page=new_page, replace=page_key),
            form,
        ):
            messages.success(request, _("The page was saved."))
            return _back(request, instance)
    title = _("Edit the page") if existing else _("Add a page")
    return render(
        request, "surveys/bo/form.html", _context(instance, questionnaire, form=form, title=title)
    )


@organiser_required(*EDITORS)
def question_edit(
    request, organisation_slug, process_slug, instance_slug, page_key, question_key=None
):
    instance, questionnaire = _load(process_slug, instance_slug)
    definition = questionnaire.definition
    existing = questions_by_key(definition).get(question_key) if question_key else None
    if question_key and existing is None:
        raise Http404("No such question")
    languages = instance.process.languages
    initial, texts = (
        builder.form_initial(existing, languages)
        if existing
        else ({"key": f"q{sum(len(p['questions']) for p in definition['pages']) + 1}"}, {})
    )
    form = QuestionForm(
        request.POST or None,
        languages=languages,
        earlier=_choices(builder.earlier_questions(definition, before_page=page_key)),
        condition=existing.get("condition") if existing else None,
        initial=initial,
        initial_texts=texts,
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "condition": form.condition()}
        areas = [
            (a.code, a.name)
            for a in Area.objects.filter(organisation=request.organisation).order_by("code")
        ]
        question = builder.question_from_form(data=data, existing=existing, areas=areas)
        new = builder.put_question(
            definition, page_key=page_key, question=question, replace=question_key
        )
        if _save(request, questionnaire, new, form):
            messages.success(request, _("The question was saved."))
            return _back(request, instance)
    title = _("Edit the question") if existing else _("Add a question")
    return render(
        request, "surveys/bo/form.html", _context(instance, questionnaire, form=form, title=title)
    )


@organiser_required(*READERS)
def preview(request, organisation_slug, process_slug, instance_slug):
    instance, questionnaire = _load(process_slug, instance_slug)
    pages = [
        (
            page,
            [
                widget(question=q, answers={}, posted=None, error=None, seed="preview")
                for q in page["questions"]
            ],
        )
        for page in questionnaire.definition["pages"]
    ]
    return render(
        request, "surveys/bo/preview.html", _context(instance, questionnaire, pages=pages)
    )


@organiser_required(*EDITORS)
def duplicate(request, organisation_slug, process_slug, instance_slug):
    instance, questionnaire = _load(process_slug, instance_slug)
    form = DuplicateForm(
        request.POST or None,
        languages=instance.process.languages,
        initial={"slug": f"{instance.slug}-copy"[:80]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.do_duplicate_questionnaire(
                questionnaire=questionnaire,
                slug=form.cleaned_data["slug"],
                title=form.cleaned_data["title"],
                actor=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The questionnaire was duplicated."))
            return _back(request, copy)
    return render(
        request,
        "surveys/bo/form.html",
        _context(instance, questionnaire, form=form, title=_("Duplicate the questionnaire")),
    )


@organiser_required(*READERS)
def definition_json(request, organisation_slug, process_slug, instance_slug):
    instance, questionnaire = _load(process_slug, instance_slug)
    body = json.dumps(
        services.export_definition(questionnaire=questionnaire), ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{instance.slug}.json"'
    return response


@organiser_required(*EDITORS)
def definition_import(request, organisation_slug, process_slug, instance_slug):
    instance, questionnaire = _load(process_slug, instance_slug)
    form = DefinitionImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8-sig")
            document = services.parse_definition_json(text=text)
        except (UnicodeDecodeError, ValidationError) as error:
            form.add_error(
                "file", getattr(error, "messages", [_("This file is not valid JSON.")])[0]
            )
        else:
            if _save(request, questionnaire, document, form):
                messages.success(request, _("The questionnaire was imported."))
                return _back(request, instance)
    return render(
        request,
        "surveys/bo/form.html",
        _context(
            instance, questionnaire, form=form, title=_("Import a definition"), multipart=True
        ),
    )


def _filters(request, data, questionnaire):
    """Masks from ?filter=<variable>&value=<code>, ?origin= and ?since=/?until= (dates)."""
    import datetime

    import numpy as np

    from parlons.modules.surveys.variables import build_variable

    mask = np.ones(len(data), dtype=bool)
    applied = {}
    name, value = request.GET.get("filter", ""), request.GET.get("value", "")
    if name and value:
        try:
            variable = build_variable(questionnaire=questionnaire, data=data, name=name)
            position = [str(c) for c in variable.categories].index(value)
        except (ValueError, KeyError):
            pass
        else:
            values = np.asarray(variable.values)
            mask &= values[:, position] if values.ndim == 2 else values == position
            applied["filter"] = f"{variable.label}: {variable.labels[position]}"
    origin = request.GET.get("origin", "")
    if origin in ("online", "imported"):
        mask &= data.imported == (origin == "imported")
        applied["origin"] = origin
    for bound, compare in (("since", np.greater_equal), ("until", np.less_equal)):
        try:
            day = datetime.date.fromisoformat(request.GET.get(bound, "")).toordinal()
        except ValueError:
            continue
        mask &= compare(data.days, day)
        applied[bound] = request.GET[bound]
    return mask, applied


@organiser_required(*READERS)
def results(request, organisation_slug, process_slug, instance_slug):
    from parlons.modules.surveys.results import (
        cross_table,
        question_results,
        quiz_summary,
        timeline,
    )
    from parlons.modules.surveys.variables import build_variable, variable_options
    from parlons.modules.surveys.weighting import compute_weighting

    instance, questionnaire = _load(process_slug, instance_slug)
    if request.method == "POST" and "admin" in request.roles:
        services.do_publish_results(
            questionnaire=questionnaire,
            published=request.POST.get("published") == "1",
            actor=request.user,
        )
        messages.success(
            request,
            _("The results are public.")
            if questionnaire.results_published
            else _("The results are no longer public."),
        )
        return _back(request, instance, "results")
    everything = load_response_data(questionnaire=questionnaire)
    weighting = compute_weighting(questionnaire=questionnaire, data=everything)
    mask, applied = _filters(request, everything, questionnaire)
    data = everything.select(mask)
    weighted = (
        request.GET.get("weighted") == "1"
        and weighting is not None
        and weighting.weights is not None
    )
    weights = weighting.weights[mask] if weighted else None
    options = variable_options(
        questionnaire=questionnaire,
        extra_fields=extra_demographic_fields(questionnaire=questionnaire),
    )
    cross = None
    rows_name, columns_name = request.GET.get("rows", ""), request.GET.get("columns", "")
    if rows_name and columns_name:
        try:
            rows_var = build_variable(questionnaire=questionnaire, data=data, name=rows_name)
            columns_var = build_variable(questionnaire=questionnaire, data=data, name=columns_name)
        except ValueError:
            messages.error(request, _("Choose two questions or profile fields to cross."))
        else:
            demographic = rows_name.startswith("d:") or columns_name.startswith("d:")
            cross = cross_table(
                rows=rows_var,
                columns=columns_var,
                weights=weights,
                minimum=questionnaire.min_cell_size if demographic else 0,
            )
    days, chart = timeline(data=data)
    return render(
        request,
        "surveys/bo/results.html",
        _context(
            instance,
            questionnaire,
            results=question_results(questionnaire=questionnaire, data=data, weights=weights),
            total=len(everything),
            shown=len(data),
            applied=applied,
            weighted=weighted,
            weighting=weighting,
            options=options,
            cross=cross,
            rows_name=rows_name,
            columns_name=columns_name,
            timeline_rows=days[-60:],
            timeline_chart=chart,
            quiz=quiz_summary(questionnaire=questionnaire, data=data),
            texts_url="../texts/",
            query=request.GET,
        ),
    )


@organiser_required(*READERS)
def texts(request, organisation_slug, process_slug, instance_slug):
    from django.core.paginator import Paginator

    instance, questionnaire = _load(process_slug, instance_slug)
    key = request.GET.get("question", "")
    search = request.GET.get("q", "").strip()[:200]
    answers = TextAnswer.objects.filter(questionnaire=questionnaire).order_by("-pk")
    if key:
        answers = answers.filter(question=key)
    if search:
        answers = answers.filter(text__icontains=search)
    page = Paginator(answers.only("question", "text", "response_id"), 50).get_page(
        request.GET.get("page")
    )
    questions = questions_by_key(questionnaire.definition)
    text_questions = [
        (k, pick(q["text"]))
        for k, q in questions.items()
        if q["type"] in ("short_text", "long_text") or q.get("other")
    ]
    return render(
        request,
        "surveys/bo/texts.html",
        _context(
            instance,
            questionnaire,
            page=page,
            key=key,
            search=search,
            text_questions=text_questions,
            names={k: pick(q["text"]) for k, q in questions.items()},
        ),
    )


@organiser_required(*READERS)
def representativeness(request, organisation_slug, process_slug, instance_slug):
    from parlons.modules.surveys.variables import variable_options
    from parlons.modules.surveys.weighting import compute_weighting, variable_categories

    instance, questionnaire = _load(process_slug, instance_slug)
    variable = request.GET.get("variable") or request.POST.get("variable", "")
    bands_text = request.GET.get("bands") or request.POST.get("bands", "")
    bands = [
        float(b)
        for b in bands_text.replace(";", ",").split(",")
        if b.strip().replace(".", "", 1).isdigit()
    ] or None
    categories = []
    if variable:
        try:
            categories = variable_categories(
                questionnaire=questionnaire, name=variable, bands=bands
            )
        except ValueError:
            messages.error(
                request,
                _(
                    "Choose a single-choice question, a profile field, or a number question with bands."
                ),
            )
            variable = ""
    if request.method == "POST" and "admin" in request.roles:
        margins = [m for m in questionnaire.margins if m["variable"] != variable]
        if "remove" not in request.POST:
            targets = {
                c: request.POST.get(f"target-{c}", "").replace(",", ".").strip() or "0"
                for c in categories
            }
            margins.append({"variable": variable, "bands": bands, "targets": targets})
        try:
            services.do_save_margins(
                questionnaire=questionnaire, margins=margins, actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The population margins were saved."))
        return _back(request, instance, "representativeness")
    data = load_response_data(questionnaire=questionnaire)
    weighting = compute_weighting(questionnaire=questionnaire, data=data)
    numbers = [
        (f"q:{s.name}", pick(data.plan.questions[s.question]["text"])) for s in data.plan.numbers
    ]
    current = next((m for m in questionnaire.margins if m["variable"] == variable), None)
    tables = []
    for found, comparison in weighting.comparisons if weighting else []:
        names = dict(zip([str(c) for c in found.categories], found.labels, strict=True))
        tables.append(
            (
                found.label,
                [
                    (names.get(str(c), c), s, w, p)
                    for c, s, w, p in zip(
                        comparison.categories,
                        comparison.sample_percentages,
                        comparison.weighted_percentages,
                        comparison.population_percentages,
                        strict=True,
                    )
                ],
            )
        )
    return render(
        request,
        "surveys/bo/representativeness.html",
        _context(
            instance,
            questionnaire,
            weighting=weighting,
            tables=tables,
            options=variable_options(questionnaire=questionnaire) + numbers,
            variable=variable,
            bands=bands_text,
            categories=[(c, (current or {}).get("targets", {}).get(c, "")) for c in categories],
            total=len(data),
        ),
    )


EXPORTS = {
    "csv-codes": (
        "text/csv; charset=utf-8",
        "csv",
        lambda q, lang: exports.iter_responses_csv(questionnaire=q, labels=False, language=lang),
    ),
    "csv-labels": (
        "text/csv; charset=utf-8",
        "csv",
        lambda q, lang: exports.iter_responses_csv(questionnaire=q, labels=True, language=lang),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        lambda q, lang: exports.iter_responses_xlsx(questionnaire=q, labels=True, language=lang),
    ),
    "codebook": (
        "text/csv; charset=utf-8",
        "codebook.csv",
        lambda q, lang: exports.iter_codebook_csv(questionnaire=q, language=lang),
    ),
    "spss": (
        "text/plain; charset=utf-8",
        "sps",
        lambda q, lang: iter([exports.spss_syntax(questionnaire=q, language=lang).encode()]),
    ),
}


@organiser_required(*READERS)
def export(request, organisation_slug, process_slug, instance_slug, kind):
    instance, questionnaire = _load(process_slug, instance_slug)
    if kind not in EXPORTS:
        raise Http404("No such export")
    content_type, extension, chunks = EXPORTS[kind]
    response = StreamingHttpResponse(
        chunks(questionnaire, get_language()), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{instance.slug}-{kind}.{extension}"'
    return response


@organiser_required(*EDITORS)
def import_responses(request, organisation_slug, process_slug, instance_slug):
    instance, questionnaire = _load(process_slug, instance_slug)
    stored = request.POST.get("stored") or request.GET.get("stored", "")
    if stored and not stored.isalnum():
        raise Http404("No such file")
    path = f"surveys/imports/{stored}.csv"
    upload = (
        ResponsesUploadForm(request.POST or None, request.FILES or None) if not stored else None
    )
    if upload is not None and request.method == "POST" and upload.is_valid():
        name = uuid.uuid4().hex
        default_storage.save(
            f"surveys/imports/{name}.csv", ContentFile(upload.cleaned_data["file"].read())
        )
        return redirect(f"{request.path}?stored={name}")
    header, fields, errors = [], [], []
    if stored:
        if not default_storage.exists(path):
            raise Http404("No such file")
        with default_storage.open(path, "rb") as handle:
            content = handle.read()
        try:
            header, _rows = read_csv(content=content)
        except ValidationError as error:
            errors = error.messages
        fields = importable_fields(questionnaire=questionnaire)
        if request.method == "POST" and not errors:
            mapping = {name: request.POST.get(f"map-{name}", "") for name, _q, _p in fields}
            missing = [m.strip() for m in request.POST.get("missing", "").split(",")]
            try:
                count = do_import_responses(
                    questionnaire=questionnaire,
                    content=content,
                    mapping=mapping,
                    actor=request.user,
                    missing=missing,
                )
            except ValidationError as error:
                errors = error.messages
            else:
                default_storage.delete(path)
                messages.success(request, _("%(n)s responses were imported.") % {"n": count})
                return _back(request, instance, "results")
    rows = [
        (
            name,
            f"{name} — {pick(q['text'])}",
            request.POST.get(f"map-{name}")
            or next((h for h in header if h.lower() == name.lower()), ""),
        )
        for name, q, _p in fields
    ]
    return render(
        request,
        "surveys/bo/import.html",
        _context(
            instance,
            questionnaire,
            upload=upload,
            stored=stored,
            header=header,
            rows=rows,
            errors=errors,
            missing=request.POST.get("missing", ", ".join(m for m in DEFAULT_MISSING if m)),
        ),
    )
