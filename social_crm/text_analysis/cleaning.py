"""Text clean-up before language detection.

Social decoration (URLs, ``RT @x:``, @handles, #hashtags, emoji) says nothing
about the language and misleads detectors; it is removed before detection, but
never before sentiment scoring (VADER reads emoji).
"""

import re

URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
RETWEET = re.compile(r"^\s*RT\s+@\w+:?", re.IGNORECASE)
HANDLE = re.compile(r"(?<!\w)@[\w.]+(@[\w.-]+)?")  # @user and @user@instance
HASHTAG = re.compile(r"(?<!\w)#\w+")
EMOJI = re.compile(
    "["
    "\U0001f000-\U0001faff"  # pictographs, emoticons, transport, symbols, flags
    "\u2600-\u27bf"  # misc symbols, dingbats
    "\u2300-\u23ff"  # technical (⌚ ⏰)
    "\u2b00-\u2bff"  # arrows, stars
    "\ufe0e\ufe0f\u200d\u20e3"  # variation selectors, zero-width joiner, keycap
    "\U000e0020-\U000e007f"  # tag characters (subdivision flags)
    "]+"
)
WHITESPACE = re.compile(r"\s+")
LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


def clean_for_detection(text):
    text = RETWEET.sub(" ", text or "")
    text = URL.sub(" ", text)
    text = HANDLE.sub(" ", text)
    text = HASHTAG.sub(" ", text)
    text = EMOJI.sub(" ", text)
    return WHITESPACE.sub(" ", text).strip()


def letter_count(text):
    return len(LETTER.findall(text or ""))
