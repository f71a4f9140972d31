"""Translation catalogues without GNU gettext: find every UI string, keep the .po files in step.

Each app may keep its own catalogue in ``<app>/locale/<lang>/LC_MESSAGES/django.po`` (every
module and ``contributions`` do, so that parallel work never edits one shared file); code
in a folder without one belongs to the kernel catalogue in ``src/parlons/locale``.  A file
belongs to the catalogue of the nearest folder above it that has a ``locale`` folder.

Strings are found in Python files (calls to ``_``, ``gettext``, ``gettext_lazy``,
``ngettext``, ``pgettext``… with literal arguments, read with :mod:`ast`) and in templates
(``{% translate %}`` and ``{% blocktranslate %}``, turned into gettext calls by Django's own
``templatize``, as ``makemessages`` does).
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parents[2]
LANGUAGES = ("fr", "de")
SKIPPED_PARTS = {"tests", "migrations", "__pycache__", "locale", "static"}

# name -> (index of context, index of singular, index of plural); None where absent.
CALLS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


@dataclass(frozen=True, order=True)
class Message:
    """One translatable string: its id, its plural and its context (empty when none)."""

    msgid: str
    plural: str = ""
    context: str = ""


def catalogue_roots(package: Path = PACKAGE) -> list[Path]:
    """Folders that own a catalogue: the package itself and every app with ``locale/``."""
    roots = {package}
    for locale in package.rglob("locale"):
        if locale.is_dir() and "tests" not in locale.parts:
            roots.add(locale.parent)
    return sorted(roots)


def owner(path: Path, roots: list[Path]) -> Path:
    """The catalogue root a source file belongs to (the deepest root above it)."""
    return max((root for root in roots if path.is_relative_to(root)), key=lambda r: len(r.parts))


def source_files(package: Path = PACKAGE) -> Iterator[Path]:
    """Python files and templates whose strings ship (tests and migrations excluded)."""
    for path in sorted(package.rglob("*")):
        if SKIPPED_PARTS & set(path.relative_to(package).parts[:-1]):
            continue
        if path.suffix == ".py" or (path.suffix in {".html", ".txt"} and "templates" in path.parts):
            yield path


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def python_messages(text: str) -> Iterator[Message]:
    """Translatable strings of one Python source."""
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in CALLS:
            continue
        yield from _message(CALLS[name], [_literal(arg) for arg in node.args])


def _message(spec, args: list[str | None]) -> Iterator[Message]:
    context_at, singular_at, plural_at = spec
    if len(args) <= singular_at or args[singular_at] is None:
        return
    plural = args[plural_at] if plural_at is not None and len(args) > plural_at else ""
    context = args[context_at] if context_at is not None else ""
    if plural is None or context is None:
        return
    yield Message(args[singular_at], plural, context)


def template_messages(text: str, origin: str) -> Iterator[Message]:
    """Translatable strings of one template, through Django's ``templatize``."""
    from django.utils.translation.template import templatize

    # Indentation means nothing here and uneven indentation would stop the tokenizer;
    # templatize writes each gettext call on one line, so stripping it loses nothing.
    flat = "\n".join(line.strip() for line in templatize(text, origin=origin).splitlines())
    tokens = list(tokenize.generate_tokens(io.StringIO(flat).readline))
    for index, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in CALLS:
            continue
        if tokens[index + 1].string != "(":
            continue
        args: list[str | None] = []
        for following in tokens[index + 2 :]:
            if following.string == ")":
                break
            if following.type == tokenize.STRING:
                args.append(ast.literal_eval(following.string))
            elif following.type == tokenize.NAME:
                args.append(None)
        yield from _message(CALLS[token.string], args)


def messages_by_catalogue(package: Path = PACKAGE) -> dict[Path, dict[Message, list[str]]]:
    """Every string of the source, grouped by the catalogue root that owns it."""
    roots = catalogue_roots(package)
    found: dict[Path, dict[Message, list[str]]] = {root: {} for root in roots}
    for path in source_files(package):
        text = path.read_text(encoding="utf-8")
        relative = str(path.relative_to(package))
        found_here = (
            python_messages(text)
            if path.suffix == ".py"
            else template_messages(text, origin=relative)
        )
        for message in found_here:
            found[owner(path, roots)].setdefault(message, []).append(relative)
    return found


def po_path(root: Path, language: str) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def update_catalogue(
    path: Path, messages: dict[Message, list[str]], language: str
) -> tuple[int, int]:
    """Add missing strings (untranslated), drop vanished ones; returns (added, removed)."""
    catalogue = polib.pofile(str(path)) if path.exists() else _new_catalogue(language)
    known = {_key(entry): entry for entry in catalogue}
    wanted = {(m.msgid, m.plural, m.context): m for m in messages}
    removed = [entry for key, entry in known.items() if key not in wanted]
    for entry in removed:
        catalogue.remove(entry)
    added = 0
    for key, message in sorted(wanted.items()):
        entry = known.get(key)
        if entry is None:
            entry = polib.POEntry(msgid=message.msgid, msgstr="")
            if message.plural:
                entry.msgid_plural = message.plural
                entry.msgstr_plural = {0: "", 1: ""}
            if message.context:
                entry.msgctxt = message.context
            catalogue.append(entry)
            added += 1
        entry.occurrences = [(name, "") for name in sorted(set(messages[message]))]
        formatted = "%(" in message.msgid or "%s" in message.msgid
        if formatted and "python-format" not in entry.flags:
            entry.flags.append("python-format")
    path.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(path))
    return added, len(removed)


def _key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgid, entry.msgid_plural or "", entry.msgctxt or "")


def _new_catalogue(language: str) -> polib.POFile:
    catalogue = polib.POFile(wrapwidth=100)
    catalogue.metadata = {
        "Project-Id-Version": "parlons",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n > 1);"
        if language == "fr"
        else "nplurals=2; plural=(n != 1);",
    }
    return catalogue


def compile_catalogues(package: Path = PACKAGE) -> int:
    """Write the .mo of every .po that is newer than it; returns how many were written."""
    compiled = 0
    for po in package.rglob("locale/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        polib.pofile(str(po)).save_as_mofile(str(mo))
        compiled += 1
    return compiled
