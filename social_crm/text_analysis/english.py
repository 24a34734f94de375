"""English sentiment for customer care: VADER, clause by clause, with the project's own care rules.

VADER (vaderSentiment 3.3.2) stays the engine: its lexicon, its word rules (negation, boosters,
capitals, "no", "least", its idioms) and its normalisation. :func:`vader_valences` is VADER's
word loop (``SentimentIntensityAnalyzer.polarity_scores`` before its "but" step) written
for one clause with each word lower-cased once: the same valences to the last bit (a test
compares them with VADER's own ``sentiment_valence``), several times faster. Around it:

* the text is capped (``MAX_CHARS``), then cut into sentences and clauses: VADER's rules run
  clause by clause, so a "not" never reaches into the next sentence or past a comma or a
  "but", and the contrastive "but" weighs the words of its own sentence only. (VADER on a whole
  text is quadratic in its words: minutes for 20,000 emoji; clauses are at most
  ``MAX_CLAUSE_WORDS`` long.) The valences of all sentences are summed and normalised as
  VADER does; averaging the sentences' scores instead was measured and reads customers worse;
* @handles are names ("@united" is not praise), and so is a handle written out in the post;
* each emoji is one token with one valence (VADER reads its English description word by word
  and scores the complaint emoji 😡 👎 as 0);
* the customer-care vocabulary of :mod:`.care` ("on hold", "never arrived", "refund"; "help"
  and "support" are not praise), and "like" only as a verb;
* courtesy ("thanks", "please") counts only in a text that reports no problem and asks for
  nothing; "thanks for <a problem>" is sarcasm, and so is a lone "Great." in a problem report;
  a problem word after "fixed" or "resolved" in the same clause is no problem.

Each result keeps the words that drove it, with their weights (``drivers``).
"""

import html
import math
import re
import string
import threading

from . import care

MAX_CHARS = 2000  # a post's sentiment is settled long before; the cost grows with length
MAX_CLAUSE_WORDS = 40  # longer runs without punctuation (emoji walls) are cut into pieces
MAX_WORDS = 250  # words read (an emoji is a word): a 2,000-character wall of emoji costs no more
MAX_DRIVERS = 8
PROBLEM_VALENCE = -1.4  # a care word at least this negative makes the text a problem report

URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
HANDLE = re.compile(r"(?<!\w)@[\w.]+(?:@[\w.-]+)?")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*")
SLASH = re.compile(r"(?<=[^\W\d_])/(?=[^\W\d_])")
DOTS = re.compile(r"\.{2,}|…")  # "flight....still" is two words and a pause
CAMEL_HASHTAG = re.compile(r"#([A-Z]?[a-z]+(?:[A-Z][a-z]+)+)\b")  # "#NeverAgain"
CAMEL_PART = re.compile(r"[A-Z]?[a-z]+")
ELONGATED = re.compile(r"(\w)\1{2,}")  # "sooo", "loooove"
EMOJI_CHAR = re.compile("([\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff])")
# joiners and modifiers that make one emoji out of several code points
EMOJI_GLUE = re.compile("[\ufe0e\ufe0f\u200d\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]")
DURATION = re.compile(care.DURATION)
# cheap tests before DURATION (on the lower-cased text)
TIME_UNITS = ("hour", "hr", "day", "min", "week", "month")
HOURS_SHORT = re.compile(r"\dh\b")  # "24h"
WORD = re.compile(r"[\w']+")
QUOTES = "…“”‘’«»"
CLAUSE_PUNCT = frozenset(",;:()—–")
# a negation that praises: "couldn't be more thankful", "can't thank you enough" (VADER inverts)
NEGATED_SUPERLATIVE = re.compile(
    r"\b(?:could\s*n[o']?t|can\s*n?[o']?t|cannot)\s+(?=(?:have\s+been|be|ask\s+for\s+an?)\s+"
    r"(?:more|happier|better|prouder|nicer|kinder)\b|thank\s+(?:you|u|y'all|you\s+guys|them|her|him)\s+enough"
    r"|say\s+enough\s+good)",
    re.IGNORECASE,
)

_analyzer = None
_lock = threading.Lock()


def get_analyzer():
    """One VADER analyzer per process, its lexicon extended with the care words and the emoji."""
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


_vader_module = None
# the words _care_rules looks at (besides the post's names)
_RULE_WORDS = frozenset(care.WORDS) | frozenset(care.EMOJI) | care.ANSWER_WORDS | {"like"}


def _vader_constants():
    global _vader_module
    if _vader_module is None:
        from vaderSentiment import vaderSentiment as vader

        _vader_module = vader
    return _vader_module


def _negated(word, negate):
    return word in negate or "n't" in word


def vader_valences(words, lower, is_cap_diff, lexicon):
    """VADER's valence of each word of one clause (``words`` as written, ``lower`` lower-cased):
    the loop of ``polarity_scores`` with ``sentiment_valence`` and its checks, same arithmetic."""
    vader = _vader_constants()
    boosters, negate, special = vader.BOOSTER_DICT, _NEGATE, vader.SPECIAL_CASES
    n_scalar, c_incr = vader.N_SCALAR, vader.C_INCR
    count = len(words)
    valences = []
    for i, word in enumerate(lower):
        if word in boosters or (word == "kind" and i < count - 1 and lower[i + 1] == "of"):
            valences.append(0.0)
            continue
        valence = lexicon.get(word)
        if valence is None:
            valences.append(0)
            continue
        if word == "no" and i != count - 1 and lower[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and lower[i - 1] == "no")
            or (i > 1 and lower[i - 2] == "no")
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor"))
        ):
            valence = lexicon[word] * n_scalar
        if valence and words[i].isupper() and is_cap_diff:  # (a neutral word in capitals stays neutral)
            valence = valence + c_incr if valence > 0 else valence - c_incr
        for start in range(3):
            if i > start and lower[i - (start + 1)] not in lexicon:
                before = lower[i - (start + 1)]
                scalar = 0.0
                if before in boosters:
                    scalar = boosters[before]
                    if valence < 0:
                        scalar *= -1
                    if words[i - (start + 1)].isupper() and is_cap_diff:
                        scalar = scalar + c_incr if valence > 0 else scalar - c_incr
                if start == 1 and scalar != 0:
                    scalar = scalar * 0.95
                if start == 2 and scalar != 0:
                    scalar = scalar * 0.9
                valence = valence + scalar
                valence = _negation_check(valence, lower, start, i, negate, n_scalar)
                if start == 2:
                    valence = _idioms(valence, lower, i, special, boosters)
        valence = _least(valence, lower, i, lexicon, n_scalar)
        valences.append(valence)
    return valences


def _negation_check(valence, lower, start, i, negate, n_scalar):
    if start == 0:
        if _negated(lower[i - 1], negate):
            valence = valence * n_scalar
    elif start == 1:
        if lower[i - 2] == "never" and lower[i - 1] in ("so", "this"):
            valence = valence * 1.25
        elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
            pass
        elif _negated(lower[i - 2], negate):
            valence = valence * n_scalar
    else:
        if (lower[i - 3] == "never" and lower[i - 2] in ("so", "this")) or lower[i - 1] in ("so", "this"):
            valence = valence * 1.25
        elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
            pass
        elif _negated(lower[i - 3], negate):
            valence = valence * n_scalar
    return valence


def _idioms(valence, lower, i, special, boosters):
    one_zero = f"{lower[i - 1]} {lower[i]}"
    two_one_zero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
    two_one = f"{lower[i - 2]} {lower[i - 1]}"
    three_two_one = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
    three_two = f"{lower[i - 3]} {lower[i - 2]}"
    for sequence in (one_zero, two_one_zero, two_one, three_two_one, three_two):
        if sequence in special:
            valence = special[sequence]
            break
    if len(lower) - 1 > i:
        zero_one = f"{lower[i]} {lower[i + 1]}"
        if zero_one in special:
            valence = special[zero_one]
    if len(lower) - 1 > i + 1:
        zero_one_two = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
        if zero_one_two in special:
            valence = special[zero_one_two]
    for n_gram in (three_two_one, three_two, two_one):
        if n_gram in boosters:
            valence = valence + boosters[n_gram]
    return valence


def _least(valence, lower, i, lexicon, n_scalar):
    if i > 1 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        if lower[i - 2] != "at" and lower[i - 2] != "very":
            valence = valence * n_scalar
    elif i > 0 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        valence = valence * n_scalar
    return valence


_NEGATE = frozenset()


def _init_negate():
    global _NEGATE
    _NEGATE = frozenset(_vader_constants().NEGATE)


# ------------------------------------------------------------------------ the care layer


def _prepare(text):
    """The capped text, cleaned of links and handles; the handles' names."""
    text = text[:MAX_CHARS]
    if "&" in text:
        text = html.unescape(text)
    if "http" in text or "www." in text:
        text = URL.sub(" ", text)
    names = ()
    if "@" in text:
        names = {handle[1:].split("@")[0].lower() for handle in HANDLE.findall(text)}
        text = HANDLE.sub(" ", text)
    text = text.replace("’", "'")
    lowered = text.lower()
    if "could" in lowered or "can" in lowered:
        text = NEGATED_SUPERLATIVE.sub("really ", text)
    if "/" in text:  # "rude/condescending" is two words (links are gone already)
        text = SLASH.sub(" ", text)
    if "#" in text:
        text = CAMEL_HASHTAG.sub(lambda m: " ".join(CAMEL_PART.findall(m.group(1))), text)
    if ".." in text or "…" in text:
        text = DOTS.sub(" … ", text)
    if not text.isascii():
        text = EMOJI_CHAR.sub(r" \1 ", EMOJI_GLUE.sub("", text))
    return text, names


def _phrase_variants(words):
    """The phrase as written and without the apostrophes tweets drop ("cant log in")."""
    yield words
    bare = tuple(w.replace("'", "") if w.replace("'", "") in care.CONTRACTIONS else w for w in words)
    if bare != words:
        yield bare


_PHRASES = {}
for _phrase, _value in sorted(care.PHRASES.items(), key=lambda item: -len(item[0].split())):
    for _variant in _phrase_variants(tuple(_phrase.split())):
        _PHRASES.setdefault(_variant[0], []).append((_variant, _value))


def _words(text, lexicon, names=()):
    """VADER's words of ``text`` (split on spaces, punctuation stripped unless that leaves two
    characters or fewer: an emoticon), their lower case, and the (start, end, sentence) of each
    clause: cut at sentence ends, after , ; : and before "but"."""
    words, lower, clauses, hashtags = [], [], [], {}
    stretched = ELONGATED.search(text) is not None
    start = 0
    for sentence_id, sentence in enumerate(SENTENCE_END.split(text)):
        if len(words) >= MAX_WORDS:
            break
        for raw in sentence.split()[: MAX_WORDS - len(words)]:
            word = raw.strip(QUOTES) or raw
            stripped = word.strip(string.punctuation)
            if len(stripped) > 2:
                word = stripped
            low = word.lower()
            if stretched and low not in lexicon and len(low) > 3 and ELONGATED.search(low):
                for repeat in (r"\1\1", r"\1"):  # "sooo" -> "so", "goood" -> "good"
                    candidate = ELONGATED.sub(repeat, word)
                    if candidate.lower() in lexicon:
                        word, low = candidate, candidate.lower()
                        break
            if raw.startswith("#") and low not in lexicon and len(low) > care.HASHTAG_MIN_LETTERS:
                hashtags[len(words)] = _hashtag_valence(low, lexicon, names)
            if low in care.CLAUSE_WORDS and len(words) > start:
                clauses.append((start, len(words), sentence_id))
                start = len(words)
            words.append(word)
            lower.append(low)
            if raw[-1] in CLAUSE_PUNCT or len(words) - start >= MAX_CLAUSE_WORDS:
                clauses.append((start, len(words), sentence_id))
                start = len(words)
        if len(words) > start:
            clauses.append((start, len(words), sentence_id))
            start = len(words)
    return words, lower, clauses, hashtags


def _hashtag_valence(tag, lexicon, names=()):
    """The valence of a hashtag of run-together words: its strongest lexicon word at the end
    ("#customerservicefail": "fail"), inverted after a negation ("#nothappy"), or at the start
    of a service ("#badcustomerservice")."""
    for name in names:  # the brand's own name is no praise ("#epicfailunited", "#unitedairlines")
        if len(name) >= care.HASHTAG_MIN_LETTERS and name in tag:
            tag = tag.replace(name, "")
    if tag in lexicon:
        return lexicon[tag]
    best = 0.0
    for size in range(care.HASHTAG_MIN_LETTERS, len(tag) - care.HASHTAG_MIN_LETTERS + 1):
        head, tail = tag[:size], tag[size:]
        candidates = [(tail, head in ("not", "no"))]
        if any(word in tail for word in care.HASHTAG_SERVICE_WORDS):  # "#badcustomerservice"
            candidates.append((head, False))
        for part, negated in candidates:
            value = lexicon.get(part, 0.0)
            if abs(value) >= care.HASHTAG_MIN_VALENCE and abs(value) > abs(best):
                best = value * (_vader_constants().N_SCALAR if negated else 1.0)
    return best


def _care_rules(words, lower, valences, labels, from_care, names, opens_sentence):
    """Care phrases, names, "like", answers and "never ... again" on one clause (lists of the
    clause, changed in place; a label None is a word inside a phrase)."""
    n_scalar = _vader_constants().N_SCALAR
    count = len(lower)
    for i, word in enumerate(lower):
        if word not in _RULE_WORDS and not names:
            continue
        if word in care.WORDS or word in care.EMOJI:
            from_care[i] = True
            if valences[i] > 0 and care.WORDS.get(word, 0) < 0:
                valences[i] = 0.0  # a problem negated ("can't believe it got cancelled") is no praise
        if word == "like" and (i == 0 or lower[i - 1] not in care.LIKE_SUBJECTS):
            valences[i] = 0.0
        elif names and (word in names or (i + 1 < count and word + lower[i + 1] in names)):
            # the post's own @handle written out ("@united ... fly United") is a name
            valences[i] = 0.0
            if i + 1 < count and word + lower[i + 1] in names:
                valences[i + 1] = 0.0
        elif i == 0 and opens_sentence and count > 2 and word in care.ANSWER_WORDS:
            valences[i] = 0.0
    if "again" in lower:
        _never_again(lower, valences, labels, from_care)
    if "less" in lower:
        _less_than(lower, valences)
    _intensifiers(lower, valences)
    i = 0
    while i < count:
        for phrase, value in _PHRASES.get(lower[i], ()):
            end = i + len(phrase)
            if tuple(lower[i:end]) == phrase:
                for j in range(i, end):
                    valences[j] = 0.0
                    labels[j] = None
                if any(_negated(word, _NEGATE) for word in lower[max(0, i - 3) : i]):
                    # a negated problem is at best no problem ("didn't tell me it was on hold")
                    value = 0.0 if value < 0 else value * n_scalar
                valences[i] = value
                labels[i] = " ".join(words[i:end])
                from_care[i] = True
                i = end - 1
                break
        i += 1


def _never_again(lower, valences, labels, from_care):
    """ "never buying from you again", "I don't think I'm ever using you again"."""
    at = next((i for i, word in enumerate(lower) if word == "never"), None)
    if at is None and "ever" in lower:
        ever = lower.index("ever")
        if any(_negated(word, _NEGATE) for word in lower[:ever]):
            at = ever
    if at is not None and "again" in lower[at + 1 :]:
        valences[at] = care.NEVER_AGAIN_VALENCE
        labels[at] = "never ... again"
        from_care[at] = True


def _less_than(lower, valences):
    """ "less than helpful" is unhelpful (VADER reads "helpful")."""
    n_scalar = _vader_constants().N_SCALAR
    for i in range(2, len(lower)):
        if lower[i - 2] == "less" and lower[i - 1] in ("than", "then") and valences[i] > 0:
            valences[i] *= n_scalar


def _intensifiers(lower, valences):
    """ "super rude", "pretty bad", "crazy good", "freaking awesome": the intensifier strengthens
    the next word, as VADER's boosters, and has no valence of its own."""
    for i in range(len(lower) - 1):
        if lower[i] in care.INTENSIFIERS and valences[i] and valences[i + 1]:
            scalar = _vader_constants().B_INCR
            valences[i + 1] += scalar if valences[i + 1] > 0 else -scalar
            valences[i] = 0.0


def _is_request(lower, text):
    if "?" in text:
        return True
    joined = f" {' '.join(lower)} "
    return any(f" {phrase} " in joined for phrase in care.REQUEST)


def _apply_context(labels, lower, values, clause_of, from_care, request):
    """Courtesy, sarcastic thanks, resolved problems and lone praise in a problem report (a
    problem that was solved, "thanks for rebooking my cancelled flight", makes none)."""
    if not care.RESOLUTION.isdisjoint(lower):
        _resolved(lower, values, clause_of)
    problem = any(v <= PROBLEM_VALENCE and c for v, c in zip(values, from_care, strict=True))
    _courtesy(labels, lower, values, clause_of, problem or request)
    if problem:
        _lone_praise(labels, lower, values, clause_of)
        _sarcastic_praise(lower, values)


def _sarcastic_praise(lower, values):
    """ "great job losing my bag", "love waiting", "way to go": set praise in a problem report is
    sarcasm (inverted as VADER inverts a negated word)."""
    n_scalar = _vader_constants().N_SCALAR
    for i in range(len(lower) - 1):
        if (lower[i], lower[i + 1]) in care.SARCASTIC_PRAISE:
            for j in (i, i + 1):
                if values[j] > 0:
                    values[j] *= n_scalar


def _courtesy(labels, lower, values, clause_of, discount):
    """ "thanks for <a problem>" is sarcasm; courtesy in a request or problem report is 0."""
    count = len(lower)
    for i in [i for i, v in enumerate(values) if v > 0]:
        word = lower[i]
        if word in care.THANKS:
            j = i + 1
            while j < count and (labels[j] is None or lower[j] in ("you", "u", "so", "much")):
                j += 1
            if j < count and lower[j] == "for" and clause_of[j] == clause_of[i]:
                if any(
                    values[k] < care.SARCASM_PROBLEM_VALENCE
                    for k in range(j + 1, min(count, i + care.SARCASM_WINDOW))
                    if clause_of[k] == clause_of[i]
                ):
                    values[i] = care.SARCASTIC_THANKS_VALENCE
                    continue
        if discount and (word in care.POLITENESS or word in care.POLITENESS_EMOJI):
            values[i] = 0.0


def _resolved(lower, values, clause_of):
    """A problem word after "fixed", "resolved"... in the same clause is no problem ("thanks for
    fixing the issue"), unless the clause is negated ("still not fixed")."""
    negated_clauses = {clause_of[i] for i, word in enumerate(lower) if _negated(word, _NEGATE)}
    resolved = set()
    for i, word in enumerate(lower):
        if word in care.RESOLUTION and clause_of[i] not in negated_clauses:
            resolved.add(clause_of[i])
        elif values[i] < 0 and clause_of[i] in resolved:
            values[i] = 0.0


def _lone_praise(labels, lower, values, clause_of):
    """A clause of one or two praise words in a problem report ("Great.") is sarcasm; not one that
    goes on after "though" or "but"."""
    n_scalar = _vader_constants().N_SCALAR
    members = {}
    for i, clause in enumerate(clause_of):
        if labels[i] is not None:
            members.setdefault(clause, []).append(i)
    for positions in members.values():
        after = positions[-1] + 1
        if after < len(lower) and lower[after] in care.CLAUSE_WORDS:
            continue  # "Impressed though with the phone reps": the clause goes on
        if (
            len(positions) <= 2
            and any(values[j] > 0 for j in positions)
            and all(values[j] >= 0 and not _negated(lower[j], _NEGATE) for j in positions)
        ):
            for j in positions:
                values[j] *= n_scalar


def _no_negated_praise(values, lower, lexicon):
    """A negated negative word is no praise ("not priceless, just shitty"): it keeps a fifth of
    its weight, except the understatements ("not bad")."""
    for j, word in enumerate(lower):
        if values[j] > 0 and lexicon.get(word, 0) < 0 and word not in care.LITOTES:
            values[j] = lexicon[word] * care.NEGATED_NEGATIVE


def score_english(text):
    """``(compound, pos, neu, neg, drivers)`` of an English text; ``drivers`` are
    ``(words, weight)`` pairs, strongest first."""
    analyzer = get_analyzer()
    lexicon = analyzer.lexicon
    if not _NEGATE:
        _init_negate()
    prepared, names = _prepare(text)
    words, lower, clauses, hashtags = _words(prepared, lexicon, names)
    capitals = sum(1 for w in words if w.isupper())
    is_cap_diff = 0 < len(words) - capitals < len(words)
    values, labels, from_care, clause_of = [], list(words), [False] * len(words), [0] * len(words)
    sentence_of = [0] * len(words)
    opened = set()
    for clause_id, (start, end, sentence) in enumerate(clauses):
        clause_values = vader_valences(words[start:end], lower[start:end], is_cap_diff, lexicon)
        _no_negated_praise(clause_values, lower[start:end], lexicon)
        for position in range(start, end):
            if hashtags.get(position):
                clause_values[position - start] = hashtags[position]
                from_care[position] = True
        clause_labels, clause_care = labels[start:end], from_care[start:end]
        _care_rules(
            words[start:end], lower[start:end], clause_values, clause_labels, clause_care, names, sentence not in opened
        )
        opened.add(sentence)
        values.extend(clause_values)
        labels[start:end], from_care[start:end] = clause_labels, clause_care
        clause_of[start:end] = [clause_id] * (end - start)
        sentence_of[start:end] = [sentence] * (end - start)
    lowered = prepared.lower()
    if any(unit in lowered for unit in TIME_UNITS) or HOURS_SHORT.search(lowered):
        for sentence_id, sentence in enumerate(SENTENCE_END.split(prepared)):
            sentence = sentence.lower()
            match = DURATION.search(sentence)
            if match and care.WAIT_WORDS.intersection(WORD.findall(sentence)):
                last = max((c for c, (_s, _e, sid) in enumerate(clauses) if sid == sentence_id), default=0)
                labels.append(match.group(0))
                lower.append(match.group(0))
                values.append(care.DURATION_VALENCE)
                from_care.append(True)
                clause_of.append(last)
                sentence_of.append(sentence_id)
    _apply_context(labels, lower, values, clause_of, from_care, _is_request(lower, prepared))
    if "but" in lower:  # VADER's "but", inside its sentence: before x0.5, after x1.5
        first_but = {}
        for i, word in enumerate(lower):
            if word == "but":
                first_but.setdefault(sentence_of[i], i)
        for i, sentence in enumerate(sentence_of):
            at = first_but.get(sentence)
            if at is not None and values[i] and i != at:
                values[i] *= 0.5 if i < at else 1.5
    if not any(values):
        return 0.0, 0.0, 1.0 if values else 0.0, 0.0, ()
    total = sum(values)
    emphasis = analyzer._punctuation_emphasis(prepared)
    total += emphasis if total > 0 else -emphasis if total < 0 else 0.0
    compound = total / math.sqrt(total * total + 15)
    pos, neg, neu = analyzer._sift_sentiment_scores([v for v, label in zip(values, labels, strict=True) if label])
    whole = pos + abs(neg) + neu
    drivers = {}
    for label, word, value in zip(labels, lower, values, strict=True):
        if value and label:
            shown, weight = drivers.get(word, (label, 0.0))
            drivers[word] = (shown, weight + value)
    ranked = sorted(drivers.values(), key=lambda d: -abs(d[1]))[:MAX_DRIVERS]
    return (
        round(max(-1.0, min(1.0, compound)), 4),
        round(abs(pos / whole), 3),
        round(abs(neu / whole), 3),
        round(abs(neg / whole), 3),
        tuple((label, round(weight, 2)) for label, weight in ranked if round(weight, 2)),
    )
