"""Sentiment with VADER, for English only.

VADER's lexicon is English: on other languages its verdicts come from emoji
and false friends (German "die" scores -2.9). So only English text is scored;
every other language gets ``not_scored`` and *no* number, never a fake 0.
"""

import dataclasses
import threading

POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05
NOT_SCORED = "not_scored"
SCORED_LANGUAGES = frozenset({"en"})

_analyzer = None
_lock = threading.Lock()


@dataclasses.dataclass(frozen=True)
class SentimentResult:
    label: str  # positive | neutral | negative | not_scored
    compound: float | None = None
    positive: float | None = None
    neutral: float | None = None
    negative: float | None = None

    @property
    def scored(self):
        return self.label != NOT_SCORED


def get_analyzer():
    """One ``SentimentIntensityAnalyzer`` per process, built on first use."""
    global _analyzer
    if _analyzer is None:
        with _lock:
            if _analyzer is None:
                from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

                _analyzer = SentimentIntensityAnalyzer()
    return _analyzer


def label_for(compound):
    if compound >= POSITIVE_THRESHOLD:
        return "positive"
    if compound <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def score_sentiment(text, language):
    """Score ``text`` when ``language`` is English, else ``not_scored``."""
    if language not in SCORED_LANGUAGES or not (text or "").strip():
        return SentimentResult(NOT_SCORED)
    # U+FE0F glues itself to the emoji description ("heart\ufe0f") and hides
    # the lexicon entry: the usual red heart would score 0 without this.
    scores = get_analyzer().polarity_scores(text.replace("\ufe0f", ""))
    compound = scores["compound"]
    return SentimentResult(
        label_for(compound),
        compound=compound,
        positive=scores["pos"],
        neutral=scores["neu"],
        negative=scores["neg"],
    )
