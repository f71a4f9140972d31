"""A participant's whole life in Chromium, with axe on every page (issue 3, done when 1).

Sign up, confirm by the e-mail allauth actually sent, log in by the code it e-mails,
set a profile and consented demographics, take part (a verification, recorded in the
organisation's log), download the data, delete the account: the organisation's log
then shows an anonymous participant and counts nothing less.  Two-factor
authentication works for participants too.
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from playwright.sync_api import expect

from parlons.core.audit.models import AuditEntry
from parlons.core.operations.demo import PASSWORD, current_totp_code, load_demo
from parlons.core.participants.models import Participant
from parlons.core.registry import registry
from parlons.modules.ideas.models import Idea
from parlons.testing.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "lea.dupont@example.org"
BOX = "/fr/villeneuve/villeneuve-demain/ideas/idees/"
IDEA = "Des bancs à l'ombre sur le quai"
SECRET = "a long and unusual passphrase 42"


@pytest.fixture
def csp_reports(page):
    """Console messages about refused content (CSP): there must be none."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield refused
    assert refused == []


def submit(page) -> None:
    """Press the submit button of the page's one form (allauth's pages)."""
    page.locator("main form button[type=submit]").first.click()


def visit(page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def last_mail_to(address: str, *, since: int):
    """The last message sent to ``address`` after the first ``since`` ones."""
    sent = [m for m in mail.outbox[since:] if address in m.to]
    assert sent, f"no e-mail to {address}; sent: {[m.subject for m in mail.outbox]}"
    return sent[-1]


def test_sign_up_confirm_log_in_by_code_profile_data_and_deletion(page, csp_reports):
    organisation = load_demo()
    sent = len(mail.outbox)

    # sign up
    visit(page, "/fr/")
    page.get_by_role("link", name="S'inscrire").click()
    assert_accessible(page)
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password1]").fill(SECRET)
    page.locator("input[name=password2]").fill(SECRET)
    submit(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Vérifiez votre adresse e-mail"
    assert_accessible(page)

    # confirm by the e-mail actually sent
    confirmation = last_mail_to(EMAIL, since=sent)
    assert confirmation.subject.startswith("[Parlons]")
    link = re.search(r"https?://\S+/fr/accounts/confirm-email/\S+/", confirmation.body).group(0)
    visit(page, link)
    submit(page)
    assert_accessible(page)
    person = Participant.objects.get(email=EMAIL)
    assert person.verifications.filter(method="email").exists()

    # log in by the code sent by e-mail
    page.context.clear_cookies()
    visit(page, "/fr/accounts/login/")
    page.get_by_role("link", name="Envoyez-moi un code de connexion").click()
    assert_accessible(page)
    sent = len(mail.outbox)
    page.locator("input[name=email]").fill(EMAIL)
    submit(page)
    assert_accessible(page)
    code_mail = last_mail_to(EMAIL, since=sent)
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", code_mail.body, re.M)
    assert code, code_mail.body
    code = code.group(1)
    page.locator("input[name=code]").fill(code)
    submit(page)
    page.get_by_role("link", name="Mon compte").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mon profil"
    assert_accessible(page)

    # profile and consented demographics
    page.get_by_label("Nom affiché").fill("Léa D.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Votre profil a été enregistré.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="À propos de moi (facultatif)").click()
    assert_accessible(page)
    page.get_by_label("Âge").select_option("30-44")
    page.get_by_label("Genre").select_option("woman")
    page.get_by_label("Quartier ou commune").fill("Les Rives")
    page.get_by_label(re.compile("^J'accepte")).check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Vos réponses ont été enregistrées.")).to_be_visible()
    assert_accessible(page)

    # take part: verify residence in Villeneuve (written to the organisation's log)
    visit(page, "/fr/villeneuve/verify/")
    page.get_by_role("textbox", name=re.compile("^Code postal")).fill("38110")
    page.get_by_role("button", name="Vérifier — Habitant du territoire (code postal)").click()
    expect(page.get_by_text("Merci : vous êtes vérifié")).to_be_visible()
    assert_accessible(page)

    # take part: an idea in the demo's idea box
    visit(page, f"{BOX}new/")
    page.locator("input[name=title]").fill(IDEA)
    page.locator("textarea[name=body]").fill("Trois bancs à l'ombre des platanes, face au lac.")
    page.get_by_role("button", name="Publier mon idée").click()
    assert page.get_by_role("heading", level=1).inner_text() == IDEA
    expect(page.get_by_text("Par Léa D.")).to_be_visible()
    assert_accessible(page)
    idea_url = page.url
    ideas_in_box = Idea.objects.filter(instance__slug="idees").count()
    entries_in_organisation = AuditEntry.objects.filter(organisation=organisation).count()
    people = Participant.objects.count()

    # download my data
    page.get_by_role("link", name="Mon compte").click()
    page.get_by_role("link", name="Télécharger mes données").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger mes données").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    modules = [f"modules/{d.key}.json" for d in registry if d.personal_data is not None]
    assert "modules/ideas.json" in modules
    assert sorted(archive.namelist()) == sorted(
        [
            "README.txt",
            "api_tokens.json",
            "audit.json",
            "demographics.json",
            "guests.json",
            "profile.json",
            "roles.json",
            "verifications.json",
            *modules,
        ]
    )
    profile = json.loads(archive.read("profile.json"))
    assert (profile["email"], profile["display_name"], profile["language"]) == (
        EMAIL,
        "Léa D.",
        "fr",
    )
    assert profile["email_addresses"] == [{"email": EMAIL, "verified": True, "primary": True}]
    demographics = json.loads(archive.read("demographics.json"))
    assert (demographics["age_band"], demographics["gender"], demographics["area"]) == (
        "30-44",
        "woman",
        "Les Rives",
    )
    verifications = json.loads(archive.read("verifications.json"))
    assert [(v["method"], v["organisation"], v["area"]) for v in verifications] == [
        ("email", None, None),
        ("postcode", "villeneuve", "les-rives"),
    ]
    codes = [entry["code"] for entry in json.loads(archive.read("audit.json"))]
    assert codes[:4] == [
        "participants.email.verified",
        "participants.profile.updated",
        "participants.demographics.saved",
        "participants.verification.granted",
    ]
    assert "ideas.idea.submitted" in codes
    ideas = json.loads(archive.read("modules/ideas.json"))["ideas"]
    assert [(i["title"], i["idea_box"]) for i in ideas] == [(IDEA, "villeneuve-demain/idees")]
    assert "Chaque fichier est un document JSON" in archive.read("README.txt").decode()

    # delete my account
    page.get_by_role("link", name="Supprimer mon compte").click()
    assert_accessible(page)
    page.get_by_label(re.compile("^J.ai compris")).check()
    page.get_by_role("button", name="Supprimer mon compte").click()
    expect(page.get_by_text("Votre compte a été supprimé.")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    assert_accessible(page)

    person.refresh_from_db()
    assert person.erased_at is not None and person.email == f"erased-{person.pk}@invalid"
    assert Participant.objects.count() == people  # the account stays, as a tombstone
    assert AuditEntry.objects.filter(organisation=organisation).count() == entries_in_organisation
    assert not person.verifications.exists() and not hasattr_demographics(person)
    assert Idea.objects.filter(instance__slug="idees").count() == ideas_in_box

    # the idea stays, anonymous
    visit(page, idea_url)
    assert page.get_by_role("heading", level=1).inner_text() == IDEA
    expect(page.get_by_text("Par un participant anonyme")).to_be_visible()
    assert page.get_by_text("Léa D.").count() == 0

    # the organisers' log now shows an anonymous participant where Léa took part
    log_in_as_organiser(page)
    visit(page, "/fr/backoffice/villeneuve/audit/")
    row = page.get_by_role("row").filter(has_text="participants.verification.granted")
    expect(row.get_by_text("Participant anonyme a été vérifié")).to_be_visible()
    assert page.get_by_text("Léa D.").count() == 0
    assert page.get_by_text(EMAIL).count() == 0


def hasattr_demographics(person) -> bool:
    from parlons.core.participants.models import Demographics

    return Demographics.objects.filter(participant=person).exists()


def log_in_as_organiser(page) -> None:
    visit(page, "/fr/accounts/login/")
    page.locator("input[name=login]").fill("organisatrice@villeneuve.demo")
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page)
    page.locator("input[name=code]").fill(current_totp_code())
    submit(page)
    page.wait_for_url(re.compile(r"/fr/$"))


def totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def next_totp_code(secret: str, used: str) -> str:
    """A code other than ``used``: allauth refuses a code twice within its 30-second period
    (replay protection), so wait for the next period when the login falls in the same one."""
    code = totp_code(secret)
    while code == used:
        time.sleep(1)
        code = totp_code(secret)
    return code


def test_participants_set_up_two_factor_authentication_and_log_in_with_it(page, csp_reports):
    from allauth.account.models import EmailAddress

    load_demo()
    person = Participant.objects.create_user(EMAIL, SECRET, language="fr")
    EmailAddress.objects.create(user=person, email=EMAIL, verified=True, primary=True)

    visit(page, "/fr/accounts/login/")
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(SECRET)
    submit(page)
    page.get_by_role("link", name="Mon compte").click()
    page.get_by_role("link", name="Authentification à deux facteurs").click()
    assert_accessible(page)
    page.get_by_role("link", name="Activer").click()
    assert_accessible(page)  # allauth asks for the password again first
    page.locator("input[name=password]").fill(SECRET)
    submit(page)
    assert_accessible(page)  # the QR code and the secret

    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    session = SessionStore(session_key=cookies["sessionid"])
    secret = session.load()["mfa.totp.secret"]
    assert page.locator("#authenticator_secret").input_value() == secret
    first_code = totp_code(secret)
    page.locator("input[name=code]").fill(first_code)
    submit(page)
    assert_accessible(page)
    assert person.authenticator_set.filter(type="totp").exists()

    page.context.clear_cookies()
    visit(page, "/fr/accounts/login/")
    page.locator("input[name=login]").fill(EMAIL)
    page.locator("input[name=password]").fill(SECRET)
    submit(page)
    assert_accessible(page)  # the second step asks for the code
    page.locator("input[name=code]").fill(next_totp_code(secret, first_code))
    submit(page)
    page.get_by_role("link", name="Mon compte").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mon profil"
