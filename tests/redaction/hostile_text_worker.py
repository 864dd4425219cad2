"""A process that redacts hostile texts for tests/redaction/test_hostile_text.py, so that a hang or a
crash there is seen by the test (which kills this process after its wall limit) and never stalls the
run. It loads the real redactor once, prints ``READY``, then for each case name read on stdin prints
one ``RESULT {json}`` line with what it found about that case.

Run as a script: ``python tests/redaction/hostile_text_worker.py``.
"""

from __future__ import annotations

import json
import random
import string
import sys
import time
import traceback
from collections.abc import Callable

NAME = "Harold Crowley"
PHONE = "(555) 123-4567"

_SENTENCES = (
    "The tenant shall pay the rent on the first day of each month.",
    "The patient was seen in clinic today and reported no new symptoms.",
    "Blood pressure was stable and the wound is healing well.",
    "Either party may end this agreement by giving thirty days written notice.",
    "She was advised to continue the current medication and to return in two weeks.",
    "The court adjourned the hearing to allow both sides to file further evidence.",
)


def ordinary_1m() -> str:
    """1,000,000 characters of ordinary sentences, one paragraph a few sentences long, and a name and a
    phone number about every 100,000 characters."""
    rng = random.Random(1)
    parts: list[str] = []
    size = next_identifier = 0
    while size < 1_000_000:
        if size >= next_identifier:
            sentence = f"Mr. {NAME} can be reached at {PHONE} about the renewal."
            next_identifier += 100_000
        else:
            sentence = rng.choice(_SENTENCES)
        sentence += "\n\n" if rng.random() < 0.1 else " "
        parts.append(sentence)
        size += len(sentence)
    return "".join(parts)[:1_000_000]


def no_spaces_300k() -> str:
    """300,000 letters and digits, mixed, without a single space or line break."""
    rng = random.Random(2)
    return "".join(rng.choices(string.ascii_letters + string.digits, k=300_000))


def digits_200k() -> str:
    rng = random.Random(3)
    return "".join(rng.choices(string.digits, k=200_000))


def mixed_scripts() -> str:
    """Latin, Cyrillic, CJK, Arabic (right to left), Devanagari and emoji (with joiners and skin tones)
    around an English name and a phone number."""
    line = (
        "Пациент поступил в отделение. 患者今天出院了。 تم إدخال المريض إلى المستشفى. रोगी को अस्पताल में "
        f"भर्ती किया गया। 👩🏽‍⚕️🩺💊 Patient {NAME} was seen today; phone {PHONE}. \u200fملاحظة\u200e "
        "Ĥéllø wörld ﬁne ＡＢＣ１２３ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢\n"
    )
    return line * 60


def combining_marks() -> str:
    return "\u0301" * 50_000


def control_chars() -> str:
    """Every C0 and C1 control character and DEL, NULs inside words, around a name and a phone number."""
    controls = "".join(chr(c) for c in [*range(32), 127, *range(0x80, 0xA0)])
    line = f"{controls}Pa\x00tient\x00: {NAME}\x07\x1b[31m phone {PHONE}\x00\r\n\x0c"
    return line * 200


CASES: dict[str, Callable[[], str]] = {
    f.__name__: f for f in (ordinary_1m, no_spaces_300k, digits_200k, mixed_scripts, combining_marks, control_chars)
}
_AGAIN_CHARS = 200_000
# Strings that must not survive the redaction of a case.
MUST_GO = {"ordinary_1m": (NAME, PHONE), "mixed_scripts": (NAME, PHONE), "control_chars": (PHONE,)}


def check(redactor: object, case: str) -> dict[str, object]:
    """Redact the case's text, then its redacted text again; what is wrong with either, as plain data."""
    from analysis.redaction import PLACEHOLDER

    text = CASES[case]()
    started = time.monotonic()
    first = redactor.redact(text)  # type: ignore[attr-defined]
    problems: list[str] = []
    rebuilt: list[str] = []
    last = 0
    for e in first.entities:
        if not 0 <= last <= e.start < e.end <= len(text):
            problems.append(f"entity out of order or out of bounds: {e.type} {e.start}-{e.end} (previous end {last})")
            break
        if text[e.start : e.end] != e.text:
            problems.append(f"{e.type} {e.start}-{e.end}: {e.text[:60]!r} is not the text at its offsets")
        match = PLACEHOLDER.fullmatch(e.placeholder)
        if match is None or match.group(1) != e.type:
            problems.append(f"{e.type} {e.start}-{e.end}: bad placeholder {e.placeholder!r}")
        rebuilt += [text[last : e.start], e.placeholder]
        last = e.end
    rebuilt.append(text[last:])
    if not problems and "".join(rebuilt) != first.text:
        problems.append("the redacted text is not the original with each entity replaced by its placeholder")
    # Redacting again checks that placeholders are a fixed point: the first 200,000 characters (cut
    # at a paragraph) show it as well as a million, in a fifth of the time.
    redacted = first.text
    if len(redacted) > _AGAIN_CHARS and (cut := redacted.rfind("\n\n", 0, _AGAIN_CHARS)) > 0:
        redacted = redacted[:cut]
    again = redactor.redact(redacted)  # type: ignore[attr-defined]
    counts: dict[str, int] = {}
    for e in first.entities:
        counts[e.type] = counts.get(e.type, 0) + 1
    return {
        "case": case,
        "length": len(text),
        "seconds": round(time.monotonic() - started, 1),
        "counts": counts,
        "problems": problems[:10],
        "left": [s for s in MUST_GO.get(case, ()) if s in first.text],
        "again": [f"{e.type} {e.text[:60]!r}" for e in again.entities[:5]],
        "again_count": len(again.entities),
        "again_same_text": again.text == redacted,
    }


def main() -> None:
    from analysis.redaction import load_redactor

    redactor = load_redactor()
    print("READY", flush=True)
    for line in sys.stdin:
        case = line.strip()
        try:
            result = check(redactor, case)
        except Exception as exc:  # reported to the test, which fails with it
            result = {"case": case, "raised": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
        print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
