"""Answers as compact rows: integer codes and numbers packed per response.

A response keeps its answers twice: as JSON (the source of truth: option codes, texts,
files) and as two small binary rows laid out by :func:`definition.layout` — int32 codes
and float64 numbers. Results read only the binary rows of every response and join them
into numpy matrices with one ``np.frombuffer``, so 100,000 responses × 30 questions load
in a fraction of a second and are counted by the survey engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from parlons.modules.surveys.definition import OTHER, Slot, choice_labels, iter_questions, layout

NOT_ANSWERED = -1


@dataclass(frozen=True)
class Layout:
    """The slots of one definition, with look-ups from option codes to slot values."""

    codes: list[Slot]
    numbers: list[Slot]
    index: dict[str, dict[Any, int]]
    questions: dict[str, dict]

    @classmethod
    def of(cls, definition: Mapping) -> Layout:
        codes, numbers = layout(definition)
        questions = {q["key"]: q for _p, q in iter_questions(definition)}
        index = {}
        for key, q in questions.items():
            pairs = (
                choice_labels(q)
                if q["type"] not in ("ranking", "location")
                else q.get("options", [])
            )
            if q["type"] in ("ranking", "location"):
                index[key] = {o["code"]: i for i, o in enumerate(pairs)}
            else:
                index[key] = {code: i for i, (code, _label) in enumerate(pairs)}
        return cls(codes, numbers, index, questions)

    def code_position(self, name: str) -> int:
        return next(i for i, s in enumerate(self.codes) if s.name == name)

    def number_position(self, name: str) -> int:
        return next(i for i, s in enumerate(self.numbers) if s.name == name)


def encode(*, plan: Layout, answers: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """The binary rows (codes, numbers) of one response's JSON answers."""
    codes = np.full(len(plan.codes), NOT_ANSWERED, dtype=np.int32)
    numbers = np.full(len(plan.numbers), np.nan, dtype=np.float64)
    for position, slot in enumerate(plan.codes):
        codes[position] = _code(slot, plan, answers.get(slot.question))
    for position, slot in enumerate(plan.numbers):
        numbers[position] = _number(slot, answers.get(slot.question))
    return codes.tobytes(), numbers.tobytes()


def _code(slot: Slot, plan: Layout, value: Any) -> int:
    if value in (None, "", [], {}):
        return 0 if slot.kind == "rank" else NOT_ANSWERED
    index = plan.index[slot.question]
    if slot.kind == "answered":
        return 0
    if slot.kind == "rank":
        return value.index(slot.part) + 1 if slot.part in value else 0
    if slot.part == "area":
        return (
            index.get(value.get("area"), NOT_ANSWERED)
            if isinstance(value, Mapping)
            else NOT_ANSWERED
        )
    if slot.part is not None:  # a matrix row
        value = value.get(str(slot.part)) if isinstance(value, Mapping) else None
        if value in (None, []):
            return NOT_ANSWERED
    if slot.kind == "mask":
        mask = 0
        for code in value:
            mask |= 1 << index[code]
        return mask
    if slot.kind == "code":
        return index.get(value, NOT_ANSWERED) if value is not True else 0
    return NOT_ANSWERED


def _number(slot: Slot, value: Any) -> float:
    if value in (None, "", {}):
        return np.nan
    if slot.part in ("lat", "lon"):
        found = value.get(slot.part) if isinstance(value, Mapping) else None
        return float(found) if found is not None else np.nan
    if isinstance(value, str):  # a date
        return float(date.fromisoformat(value).toordinal())
    return float(value)


@dataclass(frozen=True)
class Matrix:
    """Every response's slots: ``codes`` is responses × code slots, ``numbers`` likewise."""

    codes: NDArray[np.int32]
    numbers: NDArray[np.float64]

    def __len__(self) -> int:
        return self.codes.shape[0]

    def select(self, mask: NDArray[np.bool_]) -> Matrix:
        return Matrix(self.codes[mask], self.numbers[mask])


def stack(*, plan: Layout, rows: Iterable[tuple[bytes, bytes]]) -> Matrix:
    """Join many binary rows into two matrices (one ``frombuffer`` each)."""
    pairs = list(rows)
    n = len(pairs)
    code_parts, number_parts = zip(*pairs, strict=True) if n else ((), ())
    # bytes.join takes memoryviews (PostgreSQL) and bytes (SQLite) alike, in one copy.
    codes = np.frombuffer(b"".join(code_parts), dtype=np.int32)
    numbers = np.frombuffer(b"".join(number_parts), dtype=np.float64)
    return Matrix(
        codes.reshape(n, len(plan.codes)) if n else np.zeros((0, len(plan.codes)), np.int32),
        numbers.reshape(n, len(plan.numbers)) if n else np.zeros((0, len(plan.numbers))),
    )


def mask_matrix(column: NDArray[np.int32], size: int) -> NDArray[np.bool_]:
    """A mask slot as a respondents × options boolean matrix."""
    answered = column >= 0
    bits = (column[:, None] >> np.arange(size, dtype=np.int32)[None, :]) & 1
    return (bits == 1) & answered[:, None]


def decode_value(*, question: Mapping, labels: bool, value: Any, language: str) -> Any:
    """An answer as an export cell: the option codes, or their labels in ``language``."""
    from parlons.lib.i18n import pick

    if value in (None, "", [], {}):
        return None
    if not labels:
        return value
    names = {code: pick(label, language=language) for code, label in choice_labels(question)}
    if isinstance(value, list):
        return "; ".join(str(names.get(v, v)) for v in value)
    return names.get(value, value)


def other_key(question_key: str) -> str:
    return f"{question_key}.{OTHER}"


def slot_names(plan: Layout) -> Sequence[str]:
    return [s.name for s in plan.codes] + [s.name for s in plan.numbers]
