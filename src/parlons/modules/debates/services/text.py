"""A text consulted article by article: votes, amendments, arguments, sources."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parlons.contributions.models import Alignment, Comment
from parlons.contributions.permissions import HIDDEN
from parlons.contributions.services import do_comment, screen_text
from parlons.contributions.services.moderation import flag_automatically
from parlons.contributions.services.supports import lock_person
from parlons.contributions.text import clean_text
from parlons.core.audit.services import log_action
from parlons.core.permissions import Decision, Refused, ensure
from parlons.modules.debates.models import Amendment, Article, ArticleVote, Choice, Kind, Source
from parlons.modules.debates.services.common import choice, ensure_kind

AMENDMENT_LENGTH = 20000
ARGUMENT_LENGTH = 3000


def _open(person: Any, capability: str, article: Article) -> None:
    ensure_kind(article.instance, Kind.TEXT)
    ensure(person=person, capability=capability, instance=article.instance)
    if article.hidden_at is not None:
        raise Refused(Decision(False, "hidden", HIDDEN))


def check_vote_article(*, person: Any, article: Article, value: Any) -> int:
    """May ``person`` vote ``value`` (1 agree, -1 disagree, 0 mixed) on ``article`` now?
    The same vote twice is refused; another value changes the vote."""
    lock_person(person)
    _open(person, "vote", article)
    value = choice(value, tuple(Choice.values), _("Choose agree, disagree or mixed."))
    mine = ArticleVote.objects.filter(article=article, participant=person).first()
    if mine is not None and mine.value == value:
        raise ValidationError(_("You already voted this on this article."), code="duplicate")
    return value


@transaction.atomic
def do_vote_article(*, person: Any, article: Article, value: Any) -> ArticleVote:
    """Vote on an article, or change one's vote (one row per participant and article)."""
    value = check_vote_article(person=person, article=article, value=value)
    now = timezone.now()
    vote = ArticleVote.objects.filter(article=article, participant=person).first()
    if vote is None:
        try:
            with transaction.atomic():
                vote = ArticleVote.objects.create(
                    instance=article.instance, article=article, participant=person, value=value
                )
        except IntegrityError:
            raise ValidationError(
                _("You already voted this on this article."), code="duplicate"
            ) from None
    else:
        vote.value, vote.changed_at = value, now
        vote.save(update_fields=["value", "changed_at"])
    log_action(actor=person, code="debates.article.voted", target=article, data={"value": value})
    return vote


def check_amend(*, person: Any, article: Article, body: str, explanation: str = "") -> tuple:
    """May ``person`` propose this amended text of ``article`` now (the phase opens
    ``amend``)?  The text must differ from the article's."""
    lock_person(person)
    _open(person, "amend", article)
    errors = {}
    try:
        body = clean_text(body, max_length=AMENDMENT_LENGTH)
        if body == article.body.strip():
            raise ValidationError(_("The amended text is the same as the article's."))
    except ValidationError as error:
        errors["body"] = error.messages
    try:
        explanation = clean_text(explanation, max_length=3000, min_length=0)
    except ValidationError as error:
        errors["explanation"] = error.messages
    if errors:
        raise ValidationError(errors)
    spam = screen_text(organisation=article.instance.process.organisation, texts=[body])
    return body, explanation, spam


@transaction.atomic
def do_amend(*, person: Any, article: Article, body: str, explanation: str = "") -> Amendment:
    """Propose an amendment (the whole new text of the article)."""
    body, explanation, spam = check_amend(
        person=person, article=article, body=body, explanation=explanation
    )
    amendment = Amendment.objects.create(
        instance=article.instance,
        article=article,
        author=person,
        body=body,
        explanation=explanation,
    )
    amendment.instance = article.instance
    log_action(actor=person, code="debates.amendment.proposed", target=amendment)
    if spam:
        flag_automatically(obj=amendment, words=spam, module="debates")
    return amendment


@transaction.atomic
def do_argue(*, person: Any, obj: Any, side: Any, body: str) -> Comment:
    """Post an argument for (``side`` 1) or against (-1) an article, an amendment or a
    question: a toolkit comment with that position (rules, filter and audit included)."""
    side = choice(
        side, (Alignment.FOR, Alignment.AGAINST), _("Choose whether you argue for or against.")
    )
    if len(clean_text(body, max_length=10**6)) > ARGUMENT_LENGTH:
        raise ValidationError(
            _("An argument has %(count)d characters at most.") % {"count": ARGUMENT_LENGTH},
            code="max_length",
        )
    comment = do_comment(person=person, obj=obj, body=body, alignment=side)
    log_action(actor=person, code="debates.argument.posted", target=obj, data={"side": side})
    return comment


def check_add_source(*, person: Any, article: Article, url: str, title: str) -> tuple[str, str]:
    """May ``person`` add this link to ``article`` (``argue`` open)?  http(s) links only."""
    from django.core.validators import URLValidator

    _open(person, "argue", article)
    errors = {}
    url = (url or "").strip()
    try:
        URLValidator(schemes=("http", "https"))(url)
        if len(url) > 500:
            raise ValidationError("")
    except ValidationError:
        errors["url"] = [_("Give a web address starting with https:// or http://.")]
    try:
        title = clean_text(title, max_length=200)
    except ValidationError as error:
        errors["title"] = error.messages
    if errors:
        raise ValidationError(errors)
    return url, title


@transaction.atomic
def do_add_source(*, person: Any, article: Article, url: str, title: str) -> Source:
    """Add a source (a link with a title) to an article."""
    url, title = check_add_source(person=person, article=article, url=url, title=title)
    source = Source.objects.create(
        instance=article.instance, article=article, author=person, url=url, title=title
    )
    log_action(actor=person, code="debates.source.added", target=article)
    return source


def check_propose_article(*, person: Any, instance: Any, title: str, body: str) -> tuple:
    """May ``person`` propose a new article (``submit`` open on a text consultation)?"""
    lock_person(person)
    ensure_kind(instance, Kind.TEXT)
    ensure(person=person, capability="submit", instance=instance)
    errors = {}
    try:
        title = clean_text(title, max_length=300, min_length=5)
    except ValidationError as error:
        errors["title"] = error.messages
    try:
        body = clean_text(body, max_length=AMENDMENT_LENGTH, min_length=15)
    except ValidationError as error:
        errors["body"] = error.messages
    if errors:
        raise ValidationError(errors)
    return title, body, screen_text(organisation=instance.process.organisation, texts=[title, body])


@transaction.atomic
def do_propose_article(*, person: Any, instance: Any, title: str, body: str) -> Article:
    """A participant proposes a new article, after the text's articles (as the
    République numérique consultation took participants' proposals)."""
    title, body, spam = check_propose_article(
        person=person, instance=instance, title=title, body=body
    )
    article = Article.objects.create(
        instance=instance,
        type=Article.Type.PROPOSAL,
        title=title,
        body=body,
        author=person,
        position=Article.objects.filter(instance=instance).count(),
    )
    article.instance = instance
    log_action(actor=person, code="debates.article.proposed", target=article)
    if spam:
        flag_automatically(obj=article, words=spam, module="debates")
    return article
