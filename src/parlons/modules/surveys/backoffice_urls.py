from django.urls import path

from parlons.modules.surveys import backoffice as bo

urlpatterns = [
    path("", bo.index, name="index"),
    path("settings/", bo.settings_view, name="settings"),
    path("sections/new/", bo.section, name="section"),
    path("pages/new/", bo.page_edit, name="page_create"),
    path("pages/<slug:page_key>/", bo.page_edit, name="page_edit"),
    path("pages/<slug:page_key>/questions/new/", bo.question_edit, name="question_create"),
    path(
        "pages/<slug:page_key>/questions/<slug:question_key>/",
        bo.question_edit,
        name="question_edit",
    ),
    path("preview/", bo.preview, name="preview"),
    path("duplicate/", bo.duplicate, name="duplicate"),
    path("definition.json", bo.definition_json, name="definition_json"),
    path("definition/import/", bo.definition_import, name="definition_import"),
    path("results/", bo.results, name="results"),
    path("texts/", bo.texts, name="texts"),
    path("representativeness/", bo.representativeness, name="representativeness"),
    path("export/<slug:kind>/", bo.export, name="export"),
    path("import/", bo.import_responses, name="import"),
]
