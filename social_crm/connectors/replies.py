"""What a reply may be on each platform, checked before anything is posted.

Platforms count the length of a post in different ways:

* ``graphemes``: user-perceived characters (Unicode extended grapheme
  clusters): an emoji with a skin tone, a flag or a family is one. Bluesky
  allows 300 of them (``app.bsky.feed.post``, ``maxGraphemes: 300``).
* ``mastodon``: graphemes, where every link counts as 23 and a mention
  ``@user@instance`` counts as ``@user`` (Mastodon's ``StatusLengthValidator``);
  the limit is the instance's (``configuration.statuses.max_characters``,
  500 by default).
* ``x``: X's weighted count (twitter-text, configuration v3): most Latin,
  Greek, Cyrillic... characters weigh 1, CJK and other scripts 2, an emoji 2
  and a link 23; a post weighs at most 280.
* ``characters``: plain code points (Reddit, Facebook, Instagram, messages).

The counting here is self-contained (no third-party segmentation library) and
mirrors the composer's live counter (``static/src/reply_composer``).

Errors are :class:`ReplyError` with a ``code`` and parameters, so that the
Odoo side can say what to do in the user's language; the English message is
for logs and the command line.
"""

import re
import unicodedata

from .exceptions import ConfigurationError

URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
MASTODON_MENTION = re.compile(r"(?<![\w/])@(\w+(?:[.\w-]*\w)?)@[\w.-]+\w", re.UNICODE)
X_URL_LENGTH = 23  # t.co: every link weighs 23, whatever its length
MASTODON_URL_LENGTH = 23
# twitter-text v3: code points in these ranges weigh 1, everything else 2
X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


class ReplyError(ConfigurationError):
    """A reply that cannot be sent as it is: nothing was posted.

    ``code`` is one of ``no_write_api``, ``missing_credentials``, ``empty``,
    ``too_long``, ``no_private``, ``missing_target``; ``params`` fill the
    user-facing message."""

    def __init__(self, code, message, **params):
        super().__init__(message)
        self.code = code
        self.params = params


# ------------------------------------------------------------------ graphemes

ZWJ = 0x200D


def _is_extend(cp, char):
    """Code points that never start a grapheme cluster (GB9, GB9a)."""
    if unicodedata.category(char) in ("Mn", "Me", "Mc"):
        return True
    return (
        cp == ZWJ
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors (emoji / text presentation)
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1F3FB <= cp <= 0x1F3FF  # emoji skin-tone modifiers
        or 0xE0020 <= cp <= 0xE007F  # emoji tag sequences (subdivision flags)
        or cp == 0x20E3  # combining enclosing keycap
    )


def _is_pictographic(cp):
    """Extended_Pictographic, approximately: the emoji blocks."""
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2600 <= cp <= 0x27BF
        or 0x2300 <= cp <= 0x23FF
        or 0x2B00 <= cp <= 0x2BFF
        or cp in (0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x3030, 0x303D, 0x3297, 0x3299)
    )


def _is_regional(cp):
    return 0x1F1E6 <= cp <= 0x1F1FF


# Indic viramas that link two consonants into one conjunct (GB9c)
LINKERS = {0x094D, 0x09CD, 0x0ACD, 0x0B4D, 0x0C4D, 0x0D4D}
HANGUL_V_T = ((0x1160, 0x11FF), (0xD7B0, 0xD7FF))  # vowel and trailing jamo
HANGUL = ((0xAC00, 0xD7A3), (0x1100, 0x11FF), (0xA960, 0xA97F), (0xD7B0, 0xD7FF))


def _in(cp, ranges):
    return any(lo <= cp <= hi for lo, hi in ranges)


def graphemes(text):
    """Split ``text`` into extended grapheme clusters (UAX #29, the rules that
    matter for social posts: combining marks, emoji modifiers and ZWJ
    sequences, flags, keycaps, CR LF, Hangul jamo, Indic conjuncts)."""
    clusters = []
    previous = None
    regional_run = 0
    for char in text or "":
        cp = ord(char)
        joins = False
        if clusters:
            if previous == 0x0D and cp == 0x0A:
                joins = True
            elif previous in (0x0D, 0x0A) or cp in (0x0D, 0x0A):
                joins = False
            elif _is_extend(cp, char):
                joins = True
            elif previous == ZWJ and _is_pictographic(cp):
                joins = True
            elif _is_regional(cp) and _is_regional(previous or 0) and regional_run % 2 == 1:
                joins = True
            elif _in(cp, HANGUL_V_T) and _in(previous or 0, HANGUL):
                joins = True
            elif previous in LINKERS and unicodedata.category(char) == "Lo":
                joins = True
        regional_run = regional_run + 1 if _is_regional(cp) else 0
        if joins:
            clusters[-1] += char
        else:
            clusters.append(char)
        previous = cp
    return clusters


def grapheme_length(text):
    return len(graphemes(text))


# ------------------------------------------------------------ platform counts


def x_weighted_length(text):
    """The weight of a post as X counts it (twitter-text v3), in characters."""
    text = unicodedata.normalize("NFC", text or "")
    weight = 0
    position = 0
    for match in URL.finditer(text):
        weight += _x_weight(text[position : match.start()])
        weight += X_URL_LENGTH * 100
        position = match.end()
    weight += _x_weight(text[position:])
    return weight // 100


def _x_weight(text):
    weight = 0
    for cluster in graphemes(text):
        if any(_is_pictographic(ord(c)) or _is_regional(ord(c)) for c in cluster):
            weight += 200  # an emoji, however many code points, weighs 2
            continue
        for char in cluster:
            cp = ord(char)
            weight += 100 if _in(cp, X_LIGHT_RANGES) else 200
    return weight


def mastodon_length(text):
    """The length Mastodon validates: links count 23, remote mentions as local."""
    countable = URL.sub("x" * MASTODON_URL_LENGTH, text or "")
    countable = MASTODON_MENTION.sub(lambda m: "@" + m.group(1), countable)
    return grapheme_length(countable)


COUNTERS = {
    "characters": len,
    "graphemes": grapheme_length,
    "x": x_weighted_length,
    "mastodon": mastodon_length,
}


def reply_length(text, counting="characters"):
    return COUNTERS[counting](text or "")
