"""The back-office log names what changed, in the reader's language, but never a person."""

import pytest
from django.utils import translation

from parlons.core.audit.sentences import describe
from parlons.core.audit.services import log_action

pytestmark = pytest.mark.django_db


def test_a_process_is_named_by_its_title_in_the_readers_language(make_process, make_participant):
    process = make_process(title={"fr": "Budget 2027", "en": "2027 budget"})
    actor = make_participant(display_name="Claire")
    entry = log_action(actor=actor, code="processes.process.created", target=process)
    process.title = {"fr": "Renommé"}
    process.save()  # the log keeps the name it had
    with translation.override("en"):
        assert describe(entry) == "Claire created the process “2027 budget”"
    with translation.override("fr"):
        assert describe(entry).endswith("« Budget 2027 »")


def test_a_person_is_never_named_as_a_target(make_participant):
    person = make_participant(display_name="Karim Benali")
    entry = log_action(actor=None, code="organisations.member.added", target=person)
    assert entry.target_label == {}
    with translation.override("en"):
        assert describe(entry) == f"someone gave a role to participant #{person.pk}"
