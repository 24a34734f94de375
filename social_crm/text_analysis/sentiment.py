"""Sentiment: English with VADER and the care rules, de/fr/es/it/pt/nl with lexicons.

* English: :mod:`.english` (VADER sentence by sentence, the project's customer-care rules).
* German, French, Dutch, Portuguese: the lexicons of PyPI packages, read at run time from
  site-packages, plus the project's own words (:mod:`.lexicons`); Spanish and Italian: the
  project's own lexicons.
* Every other language gets ``not_scored`` and *no* number, never a fake 0 (VADER on other
  languages reads emoji and false friends: German "die" scores -2.9). So does a language whose
  lexicon package is not installed.

Each scored result keeps its ``drivers``: the words or phrases that moved it, with their
weights, strongest first.
"""

import dataclasses

from .english import score_english

POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05
# the neutral band of each language, (negative at or below, positive at or above): VADER's
# +-0.05 reads every "thanks" or "great" in a complaint as praise; in English a post is positive
# from 0.35 (one plain praise word, "love it", is 0.64; a courtesy word beside a
# mild problem is below)
THRESHOLDS = {"en": (NEGATIVE_THRESHOLD, 0.35)}
NOT_SCORED = "not_scored"
# the share of a text's weight (VADER's pos / neg proportions) below which its sentiment words
# are too few to make it positive or negative, in the lexicon languages (measured: GermEval
# macro-F1 0.488 -> 0.510, UMSAB de/fr/es/it/pt unchanged)
MIN_SHARE = 0.05
DILUTED_LANGUAGES = frozenset({"de", "fr", "es", "it", "pt", "nl"})
LEXICON_LANGUAGES = ("de", "fr", "es", "it", "pt", "nl")


@dataclasses.dataclass(frozen=True)
class SentimentResult:
    label: str  # positive | neutral | negative | not_scored
    compound: float | None = None
    positive: float | None = None
    neutral: float | None = None
    negative: float | None = None
    drivers: tuple = ()  # ((words, weight), ...), strongest first

    @property
    def scored(self):
        return self.label != NOT_SCORED

    def explanation(self):
        """``"'is down' -2.2, 'terrible' -2.1"``; empty when nothing drove the score."""
        return ", ".join(f"'{words}' {weight:+.1f}" for words, weight in self.drivers)


def get_analyzer():
    """The shared VADER analyzer (one per process)."""
    from .english import get_analyzer as english_analyzer

    return english_analyzer()


def scored_languages():
    """Languages that get a sentiment here (English, and those whose lexicon is installed)."""
    from .lexicons import available

    return frozenset({"en"} | {code for code in LEXICON_LANGUAGES if available(code)})


def label_for(compound, language=None):
    """The label of a compound score (with the neutral band of ``language`` when it has one)."""
    negative, positive = THRESHOLDS.get(language, (NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD))
    if compound >= positive:
        return "positive"
    if compound <= negative:
        return "negative"
    return "neutral"


def score_sentiment(text, language):
    """Score ``text`` in ``language`` (ISO 639-1), or ``not_scored``."""
    if not (text or "").strip():
        return SentimentResult(NOT_SCORED)
    if language == "en":
        compound, positive, neutral, negative, drivers = score_english(text)
    elif language in LEXICON_LANGUAGES:
        from .lexicons import score_lexicon

        scores = score_lexicon(text, language)
        if scores is None:
            return SentimentResult(NOT_SCORED)
        compound, positive, neutral, negative, drivers = scores
    else:
        return SentimentResult(NOT_SCORED)
    label = label_for(compound, language)
    if language in DILUTED_LANGUAGES and (
        (label == "positive" and positive < MIN_SHARE) or (label == "negative" and negative < MIN_SHARE)
    ):
        # a long post with one polar word among many neutral ones ("..., vielen Dank." closing
        # a forum post) is neutral
        label = "neutral"
    return SentimentResult(label, compound, positive, neutral, negative, drivers)
