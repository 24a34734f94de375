"""English sentiment for customer care: VADER, sentence by sentence, with the project's own care rules.

VADER (vaderSentiment 3.3.2) stays the engine: its lexicon, its word rules (negation, boosters,
capitals, "kind of", "least") and its normalisation. Around it:

* the text is capped (``MAX_CHARS``) and cut into sentences and clauses; VADER's word rules
  run clause by clause, so a "not" never reaches into the next sentence or past a comma or a
  "but", and the contrastive "but" weighs the words of its own sentence only. VADER reads whole
  texts with rules that are quadratic in the number of words (minutes for 20,000 emoji);
  bounded clauses keep every text to a few milliseconds;
* each emoji is one token with one valence (VADER reads its English description word by word,
  and scores the complaint emoji as 0);
* the customer-care vocabulary of :mod:`.care` ("on hold", "never arrived", "refund"; "help" and
  "support" are not praise);
* courtesy ("thanks", "please") counts only in a text that reports no problem and asks for
  nothing; "thanks for <a problem>" is sarcasm; a lone "Great." in a problem report too.

The result keeps the words that drove it, with their weights (``drivers``).
"""

import html
import math
import re
import string
import threading

from . import care

MAX_CHARS = 2000  # a post's sentiment is settled long before; VADER's cost grows with length
MAX_CLAUSE_WORDS = 40  # longer runs without punctuation (emoji walls) are cut into pieces
MAX_DRIVERS = 8
PROBLEM_PRAISE_FACTOR = 0.5
COMBINE = 'sum'
PROBLEM_ANY = False

URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
# handles are names, not words ("@united" is not praise)
HANDLE = re.compile(r"(?<!\w)@[\w.]+(@[\w.-]+)?")
# sentence ends: . ! ? … (kept with their sentence), line breaks
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*")
EMOJI_CHAR = re.compile("([\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff])")
# joiners and modifiers that make one emoji out of several code points
EMOJI_GLUE = re.compile("[\ufe0e\ufe0f\u200d\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")
# "flight....still" is two words and a pause
DOTS = re.compile(r"\.{2,}|…")
# "#NeverAgain" reads "never again"
CAMEL_HASHTAG = re.compile(r"#([A-Z]?[a-z]+(?:[A-Z][a-z]+)+)\b")
CAMEL_PART = re.compile(r"[A-Z]?[a-z]+")
# "sooo", "loooove": letters repeated three times or more
ELONGATED = re.compile(r"(\w)\1{2,}")
CLAUSE_PUNCT = frozenset(",;:()—–")
DURATION = re.compile(care.DURATION)
QUOTES = "…“”‘’«»"
PUNCT = string.punctuation + QUOTES

_analyzer = None
_lock = threading.Lock()


class _Clause:
    """What VADER's word rules read of a text (its ``SentiText``), for one clause."""

    __slots__ = ("words_and_emoticons", "is_cap_diff")

    def __init__(self, words, is_cap_diff):
        self.words_and_emoticons = words
        self.is_cap_diff = is_cap_diff


def get_analyzer():
    """One VADER analyzer per process, its lexicon extended with the care vocabulary and the emoji."""
    global _analyzer
    if _analyzer is None:
        with _lock:
            if _analyzer is None:
                from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

                analyzer = SentimentIntensityAnalyzer()
                lexicon = dict(analyzer.lexicon)
                # an emoji is one token: VADER's own reading of its description, or ours
                for char, description in analyzer.emojis.items():
                    if len(char) == 1:
                        value = sum(lexicon.get(word, 0.0) for word in description.lower().split())
                        if value:
                            lexicon[char] = max(-3.0, min(3.0, value))
                lexicon.update(care.EMOJI)
                lexicon.update(care.WORDS)
                analyzer.lexicon = lexicon
                _analyzer = analyzer
    return _analyzer


def _strip(token):
    """VADER's punctuation stripping (a word left with two characters or fewer was an
    emoticon and stays as it was), after typographic quotes."""
    token = token.strip(QUOTES) or token
    stripped = token.strip(string.punctuation)
    return token if len(stripped) <= 2 else stripped


def _split_hashtag(match):
    return " ".join(CAMEL_PART.findall(match.group(1)))


def _lexicon_word(word, lexicon):
    """``word``, or its spelling without letters stretched for emphasis when only that is in
    the lexicon ("sooo" -> "so", "goood" -> "good")."""
    if word.lower() in lexicon or not ELONGATED.search(word):
        return word
    for repeat in (r"\1\1", r"\1"):
        candidate = ELONGATED.sub(repeat, word)
        if candidate.lower() in lexicon:
            return candidate
    return word


def _clauses(sentence, lexicon=()):
    """Words of ``sentence`` grouped into clauses: cut after , ; : and before "but"."""
    clauses, current = [], []
    for raw in EMOJI_CHAR.sub(r" \1 ", sentence).split():
        word = _lexicon_word(_strip(raw), lexicon)
        if not word:
            continue
        if word.lower() in care.CLAUSE_WORDS and current:
            clauses.append(current)
            current = []
        current.append(word)
        if raw[-1] in CLAUSE_PUNCT or len(current) >= MAX_CLAUSE_WORDS:
            clauses.append(current)
            current = []
    if current:
        clauses.append(current)
    return clauses


def _phrases(lower):
    """``(start, end, valence)`` of the care phrases in a clause's lower-case words."""
    found, i = [], 0
    while i < len(lower):
        for size in (4, 3, 2):
            key = " ".join(lower[i : i + size])
            if len(lower) - i >= size and key in care.PHRASES:
                found.append((i, i + size, care.PHRASES[key]))
                i += size - 1
                break
        i += 1
    return found


def _negated_before(lower, start):
    from vaderSentiment.vaderSentiment import negated

    return any(negated([word]) for word in lower[max(0, start - 3) : start])


class _Token:
    __slots__ = ("text", "lower", "valence", "clause", "sentence", "care")

    def __init__(self, text, valence, clause, sentence, is_care=False):
        self.text = text
        self.lower = text.lower()
        self.valence = valence
        self.clause = clause
        self.sentence = sentence
        # from the project's care vocabulary (not from VADER's own lexicon)
        self.care = is_care or self.lower in care.WORDS or self.lower in care.PHRASES or text in care.EMOJI


def _score_clause(analyzer, words, is_cap_diff, names=(), opens_long_sentence=False):
    """VADER's word loop (``polarity_scores`` without the emoji and "but" steps) on one clause,
    then the care phrases, names and the "like" and answer rules."""
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, N_SCALAR

    clause = _Clause(words, is_cap_diff)
    lower = [care.CONTRACTIONS.get(w.lower(), w.lower()) for w in words]
    sentiments = []
    for i, item in enumerate(words):
        if lower[i] in BOOSTER_DICT or (lower[i] == "kind" and i + 1 < len(words) and lower[i + 1] == "of"):
            sentiments.append(0.0)
            continue
        sentiments = analyzer.sentiment_valence(0.0, clause, item, i, sentiments)
    labels = list(words)
    for i, word in enumerate(lower):
        if word == "like" and (i == 0 or lower[i - 1] not in care.LIKE_SUBJECTS):
            sentiments[i] = 0.0
        elif names and (word in names or (i + 1 < len(lower) and word + lower[i + 1] in names)):
            # the post's own @handle written as words ("@united ... fly United") is a name
            sentiments[i] = 0.0
            if i + 1 < len(lower) and word + lower[i + 1] in names:
                sentiments[i + 1] = 0.0
        elif word in care.ANSWER_WORDS and i == 0 and opens_long_sentence:
            sentiments[i] = 0.0
    if "never" in lower and "again" in lower[lower.index("never") + 1 :]:
        at = lower.index("never")
        sentiments[at] = care.NEVER_AGAIN_VALENCE
        labels[at] = "never ... again"
    for start, end, valence in _phrases(lower):
        for i in range(start, end):
            sentiments[i] = 0.0
            labels[i] = None
        if _negated_before(lower, start):
            valence *= N_SCALAR
        sentiments[start] = valence
        labels[start] = " ".join(words[start:end])
    return labels, sentiments


def _tokens(analyzer, text):
    """Scored tokens of ``text`` (capped), and the number of sentences."""
    from vaderSentiment.vaderSentiment import allcap_differential

    names = {m.group(0)[1:].split("@")[0].lower() for m in HANDLE.finditer(text[:MAX_CHARS])}
    text = HANDLE.sub(" ", URL.sub(" ", html.unescape(text[:MAX_CHARS]))).replace("’", "'")
    text = DOTS.sub(" … ", CAMEL_HASHTAG.sub(_split_hashtag, text))
    text = EMOJI_GLUE.sub("", text)
    sentences = [s for s in SENTENCE_END.split(text) if s and s.strip()]
    per_sentence = [_clauses(s, analyzer.lexicon) for s in sentences]
    is_cap_diff = allcap_differential([w for clauses in per_sentence for c in clauses for w in c])
    tokens = []
    clause_id = 0
    for sentence_id, (sentence, clauses) in enumerate(zip(sentences, per_sentence, strict=True)):
        long_sentence = sum(len(c) for c in clauses) > 2
        for position, words in enumerate(clauses):
            labels, sentiments = _score_clause(analyzer, words, is_cap_diff, names, position == 0 and long_sentence)
            for label, value in zip(labels, sentiments, strict=True):
                if label is not None:
                    tokens.append(_Token(label, value, clause_id, sentence_id))
            clause_id += 1
        lower = sentence.lower()
        match = DURATION.search(lower)
        if match and care.WAIT_WORDS.intersection(re.findall(r"[\w']+", lower)):
            tokens.append(_Token(match.group(0), care.DURATION_VALENCE, clause_id - 1, sentence_id, True))
    return tokens, sentences


def _is_request(text):
    lower = f" {text.lower()} "
    return "?" in text or any(f" {phrase} " in lower for phrase in care.REQUEST)


def _apply_context(tokens, problem, request):
    """Courtesy, sarcastic thanks and lone praise in a problem report."""
    from vaderSentiment.vaderSentiment import N_SCALAR, negated

    for i, token in enumerate(tokens):
        if token.lower in care.THANKS and token.valence > 0:
            after = [t for t in tokens[i + 1 : i + 8] if t.clause == token.clause]
            if after and after[0].lower == "for" and any(t.valence < 0 for t in after[1:]):
                token.valence = care.SARCASTIC_THANKS_VALENCE
                continue
        if (problem or request) and token.valence > 0 and (
            token.lower in care.POLITENESS or token.text in care.POLITENESS_EMOJI
        ):
            token.valence = 0.0
    resolved_clauses = set()
    for token in tokens:
        if token.lower in care.RESOLUTION and token.clause not in resolved_clauses:
            if not any(negated([t.lower]) for t in tokens if t.clause == token.clause):
                resolved_clauses.add(token.clause)
        elif token.clause in resolved_clauses and token.valence < 0:
            token.valence = 0.0  # "thanks for fixing the issue"
    if problem and PROBLEM_PRAISE_FACTOR != 1.0:
        for token in tokens:
            if token.valence > 0:
                token.valence *= PROBLEM_PRAISE_FACTOR
    if problem:
        by_clause = {}
        for token in tokens:
            by_clause.setdefault(token.clause, []).append(token)
        for clause in by_clause.values():
            words = [t for t in clause if t.text.strip(PUNCT)]
            if (
                len(words) <= 2
                and all(t.valence >= 0 and not negated([t.lower]) for t in clause)
                and any(t.valence > 0 for t in clause)
            ):
                for token in clause:
                    token.valence *= N_SCALAR


def _but(tokens):
    """VADER's "but" rule inside each sentence: before it x0.5, after it x1.5."""
    first_but = {}
    for i, token in enumerate(tokens):
        if token.lower == "but":
            first_but.setdefault(token.sentence, i)
    for i, token in enumerate(tokens):
        at = first_but.get(token.sentence)
        if at is not None and token.valence:
            token.valence *= 0.5 if i < at else 1.5 if i > at else 1.0


def score_english(text):
    """``(compound, pos, neu, neg, drivers)`` of an English text; ``drivers`` are
    ``(words, weight)`` pairs, strongest first."""
    analyzer = get_analyzer()
    tokens, sentences = _tokens(analyzer, text)
    problem = any(t.valence <= -1.4 for t in tokens if (t.care or PROBLEM_ANY))
    _apply_context(tokens, problem, _is_request(text[:MAX_CHARS]))
    _but(tokens)
    sentiments = [t.valence for t in tokens]
    if not any(sentiments):
        return 0.0, 0.0, 1.0 if tokens else 0.0, 0.0, ()
    capped = text[:MAX_CHARS]
    if COMBINE == "sum":
        total = sum(sentiments)
        emphasis = analyzer._punctuation_emphasis(capped)
        total += emphasis if total > 0 else -emphasis if total < 0 else 0.0
        compound = total / math.sqrt(total * total + 15)
    else:
        per = {}
        for t in tokens:
            per[t.sentence] = per.get(t.sentence, 0.0) + t.valence
        comps = []
        for sid, total in per.items():
            if not total:
                continue
            emphasis = analyzer._punctuation_emphasis(sentences[sid])
            total += emphasis if total > 0 else -emphasis
            comps.append(total / math.sqrt(total * total + 15))
        if COMBINE == "mean":
            compound = sum(comps) / len(comps) if comps else 0.0
        else:
            tot = sum(comps)
            compound = max(-1, min(1, tot))
    pos, neg, neu = analyzer._sift_sentiment_scores(sentiments)
    whole = pos + abs(neg) + neu
    drivers = {}
    for token in tokens:
        if token.valence:
            key = token.lower
            label, weight = drivers.get(key, (token.text, 0.0))
            drivers[key] = (label, weight + token.valence)
    ranked = sorted(drivers.values(), key=lambda d: -abs(d[1]))[:MAX_DRIVERS]
    return (
        round(max(-1.0, min(1.0, compound)), 4),
        round(abs(pos / whole), 3),
        round(abs(neu / whole), 3),
        round(abs(neg / whole), 3),
        tuple((label, round(weight, 2)) for label, weight in ranked if round(weight, 2)),
    )
