"""Pure-Python text analysis: language, sentiment, intent. Never imports Odoo.

:func:`analyze` is the one entry point the models use; it loads langdetect and
VADER lazily, once per process, and is safe to call from several threads.
"""

import dataclasses
import functools

from .cleaning import clean_for_detection, letter_count
from .intent import INTENTS, IntentResult, classify_intent
from .language import UNDETERMINED, LanguageResult, available_languages, detect_cleaned_language, detect_language
from .sentiment import NOT_SCORED, SentimentResult, score_sentiment

ANALYZER_VERSION = "langdetect-1.0.9+vader-3.3.2+care-4+lexicons-2"


@dataclasses.dataclass(frozen=True)
class Analysis:
    language: LanguageResult
    sentiment: SentimentResult
    intent: IntentResult
    noise: bool
    version: str = ANALYZER_VERSION

    def to_dict(self):
        return {
            "language": self.language.code,
            "language_confidence": self.language.confidence,
            "sentiment": self.sentiment.label,
            "compound": self.sentiment.compound,
            "intent": self.intent.intent,
            "intent_evidence": self.intent.evidence,
            "noise": self.noise,
            "version": self.version,
        }


CACHE_SIZE = 20_000
# what is read of a text: language settles in its first 400 letters, sentiment in its first
# 2,000 characters (english.MAX_CHARS), intent cues here; a 20,000-character post costs no
# more than a 5,000-character one
MAX_TEXT_CHARS = 5000


def analyze(text, languages=None, platform_language=None):
    """Analyse one text.

    ``languages``: the languages the company expects (English is always added).
    ``platform_language``: the platform's own tag, used when detection is unsure
    and the tag is one of the expected languages.

    Results are cached per process (retweets, cross-posts and re-analysis of
    the same text cost nothing the second time); they are immutable. Language
    detection, the costly part, is cached on the text alone, so the same text
    seen with different platform tags is detected once.
    """
    text = (text or "")[:MAX_TEXT_CHARS]
    return _analyze_cached(text, tuple(sorted(set(languages or ()))), platform_language or "")


def clear_caches():
    """Forget every cached result (benchmarks, tests)."""
    from . import detector

    _analyze_cached.cache_clear()
    _detect_cached.cache_clear()
    detector.clear_caches()


@functools.lru_cache(maxsize=CACHE_SIZE)
def _detect_cached(text, languages):
    cleaned = clean_for_detection(text)
    return cleaned, detect_cleaned_language(cleaned, list(languages) or None)


# below the detection threshold, the likeliest language is still good enough to read sentiment
# words in (the stored language stays "und")
SENTIMENT_GUESS_CONFIDENCE = 0.5


def _sentiment_language(language):
    if language.known:
        return language.code
    if language.guess and language.confidence >= SENTIMENT_GUESS_CONFIDENCE:
        return language.guess
    return UNDETERMINED


@functools.lru_cache(maxsize=CACHE_SIZE)
def _analyze_cached(text, languages, platform_language):
    cleaned, language = _detect_cached(text, languages)
    if not language.known and platform_language:
        tag = platform_language.split("-")[0].lower()
        if not languages or tag in set(languages) | {"en"}:
            language = LanguageResult(tag, 0.0)
    sentiment = score_sentiment(text, _sentiment_language(language))
    intent = classify_intent(
        text,
        sentiment.compound if sentiment.scored else None,
        negative=sentiment.label == "negative",
        drivers=sentiment.drivers,
    )
    noise = intent.intent == "other" and (letter_count(cleaned) < 3 or len(cleaned.split()) < 3)
    return Analysis(language, sentiment, intent, noise)


__all__ = [
    "ANALYZER_VERSION",
    "INTENTS",
    "NOT_SCORED",
    "UNDETERMINED",
    "Analysis",
    "analyze",
    "clear_caches",
    "available_languages",
    "classify_intent",
    "clean_for_detection",
    "detect_language",
    "score_sentiment",
]
