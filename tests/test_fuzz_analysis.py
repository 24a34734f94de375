"""Bounded fuzzing of ``analyze``: hostile texts never raise and always give a well-formed result.

A seeded mutator (no extra dependency, the same texts on every run) builds texts from pieces that
have broken text analysers before: emoji-only posts and emoji walls with skin tones and joiners,
huge posts with no sentence end, lone surrogates, control characters and NUL, mixed scripts,
right-to-left marks, combining accents, stretched letters, HTML entities, handles and links.
Speed is not asserted here (bench/bench_analysis.py measures it).
"""

import random

import pytest

from social_crm.text_analysis import INTENTS, analyze, clear_caches, score_sentiment

PIECES = [
    "😡",
    "🔥🔥🔥",
    "👍🏽",
    "❤️",
    "👨‍👩‍👧‍👦",
    "🇩🇪",
    "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
    "\ufe0f",
    "\u200d",
    "\ud800",
    "\udfff",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r\n",
    "\t",
    "\u202e",
    "\u200f",
    "e\u0301\u0301\u0301",
    "ǅ",
    "ß",
    "İ",
    "Привет",
    "مرحبا",
    "漢字テスト",
    "한국어",
    "not",
    "but",
    "never",
    "again",
    "on hold",
    "thanks for",
    "is down",
    "sooooooo",
    "!!!!!!",
    "????",
    "...",
    "…",
    ":)",
    ":-(",
    "<3",
    "&amp;",
    "&#x1F600;",
    "&lt;script&gt;",
    "@acme",
    "@user@mastodon.social",
    "#NeverAgain",
    "https://example.com/a?b=c",
    "RT @x:",
    "nicht",
    "n'",
    "'",
    "-",
    "Verspätung",
    "pésimo",
    "non funziona",
    "não",
    "3 hours",
    "   ",
    "\u3000",
    "A" * 300,
]
LANGUAGES = [None, ["en"], ["de", "fr", "es", "it", "pt", "nl"], ["pl", "ru"], ["xx", ""]]


def mutated_texts(count, seed=20261201):
    rng = random.Random(seed)
    texts = ["", " ", "\x00", "😡" * 5000, "🔥 " * 7000, "a" * 20_000, ("ok 😂🙄👎🏿 " * 2000) + "!" * 50]
    for _ in range(count):
        parts = rng.choices(PIECES, k=rng.randint(1, 40))
        text = rng.choice(["", " "]).join(parts)
        if rng.random() < 0.1:
            text *= rng.randint(50, 400)  # huge
        if rng.random() < 0.2:
            position = rng.randrange(len(text) + 1)
            text = text[:position] + chr(rng.randrange(0x110000)) + text[position:]
        texts.append(text)
    return texts


def check(result):
    assert result.sentiment.label in ("positive", "neutral", "negative", "not_scored")
    if result.sentiment.scored:
        assert -1.0 <= result.sentiment.compound <= 1.0
    else:
        assert result.sentiment.compound is None
    assert result.intent.intent in INTENTS
    assert isinstance(result.language.code, str) and result.language.code
    for words, weight in result.sentiment.drivers:
        assert isinstance(words, str) and isinstance(weight, float)
    result.intent.explanation()
    result.sentiment.explanation()
    result.to_dict()


@pytest.mark.parametrize("languages", LANGUAGES, ids=lambda value: ",".join(value) if value else "all")
def test_hostile_texts_never_raise(languages):
    clear_caches()
    for text in mutated_texts(80):
        check(analyze(text, languages, platform_language=random.Random(len(text)).choice([None, "en", "de-DE", "??"])))


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "und"])
def test_every_sentiment_scorer_takes_hostile_texts(language):
    for text in mutated_texts(60, seed=7):
        result = score_sentiment(text, language)
        assert result.label in ("positive", "neutral", "negative", "not_scored")
