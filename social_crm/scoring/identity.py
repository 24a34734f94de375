"""Which contact a social identity may be: candidates ranked with their evidence.

Each piece of evidence is named and weighted; a candidate's score is their sum
(at most 100). Nothing here links or merges anything: the ranking is shown to a
person, who decides.

    profile_url   50  the contact's website is the identity's profile page
    handle        40  the contact has an identity with the same handle on another platform
    website       35  the contact's website is on the identity's web site (same domain)
    email_domain  25  the contact's e-mail is on the domain of the identity's site or e-mail
                      (not for webmail domains such as gmail.com)
    name          up to 30  the names look alike (30 when equal, 0 below 0.75 similarity)
"""

import dataclasses
import difflib
import re
import unicodedata

WEIGHTS = {"profile_url": 50, "handle": 40, "website": 35, "email_domain": 25, "name": 30}
NAME_THRESHOLD = 0.75  # similarity under which names are not evidence
WEBMAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "mail.ru",
        "yandex.ru",
        "orange.fr",
        "free.fr",
        "example.com",
    }
)
# hosts whose pages are people's profiles, not their own sites
PROFILE_HOSTS = frozenset(
    {
        "x.com",
        "twitter.com",
        "bsky.app",
        "reddit.com",
        "youtube.com",
        "facebook.com",
        "instagram.com",
        "news.ycombinator.com",
        "linkedin.com",
        "github.com",
    }
)
HANDLE_SUFFIXES = (".bsky.social",)


@dataclasses.dataclass(frozen=True)
class Identity:
    """What is known of the social identity to place."""

    handle: str = ""
    name: str = ""
    profile_url: str = ""
    website: str = ""
    emails: tuple = ()


@dataclasses.dataclass(frozen=True)
class Contact:
    """A contact that may be the identity: its own data and its other identities."""

    id: int
    name: str = ""
    email: str = ""
    website: str = ""
    handles: tuple = ()  # (platform label, handle) of the contact's identities


@dataclasses.dataclass(frozen=True)
class Evidence:
    code: str  # a key of WEIGHTS
    points: int
    detail: str  # what matched, e.g. the domain or the handle


@dataclasses.dataclass(frozen=True)
class Candidate:
    contact_id: int
    score: int
    evidence: tuple


def normalize_url(url):
    """Comparable form of a URL: no scheme, no www., no query, no trailing slash, lowercase."""
    url = (url or "").strip().lower()
    url = re.sub(r"^[a-z]+://", "", url)
    url = re.sub(r"^www\.", "", url)
    return url.split("#")[0].split("?")[0].rstrip("/")


def domain_of(url_or_email):
    value = (url_or_email or "").strip().lower()
    if "@" in value and "/" not in value:
        return value.rsplit("@", 1)[1]
    return normalize_url(value).split("/")[0].split(":")[0]


def handle_root(handle):
    """The part of a handle a person keeps across platforms:
    ``jane_cooper@mastodon.social`` and ``jane_cooper.bsky.social`` give ``jane_cooper``."""
    handle = (handle or "").strip().lower().lstrip("@")
    handle = handle.split("@")[0]
    for suffix in HANDLE_SUFFIXES:
        if handle.endswith(suffix):
            handle = handle[: -len(suffix)]
    return handle


def _plain_name(name):
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(sorted(re.findall(r"\w+", text)))


def name_similarity(left, right):
    """0..1, insensitive to case, accents and word order."""
    left, right = _plain_name(left), _plain_name(right)
    if not left or not right:
        return 0.0
    return difflib.SequenceMatcher(None, left, right).ratio()


def evidence_for(identity, contact):
    """The evidence that ``identity`` is ``contact``, strongest first."""
    found = []
    profile = normalize_url(identity.profile_url)
    site = normalize_url(contact.website)
    if profile and site and site == profile:
        found.append(Evidence("profile_url", WEIGHTS["profile_url"], profile))
    root = handle_root(identity.handle)
    if root and len(root) >= 3:
        for platform, handle in contact.handles:
            if handle_root(handle) == root:
                found.append(Evidence("handle", WEIGHTS["handle"], f"@{handle} ({platform})"))
                break
    own_domains = {domain_of(identity.website)} if identity.website else set()
    own_domains -= {""} | PROFILE_HOSTS
    contact_site_domain = domain_of(contact.website) if contact.website else ""
    if contact_site_domain and contact_site_domain in own_domains and not any(e.code == "profile_url" for e in found):
        found.append(Evidence("website", WEIGHTS["website"], contact_site_domain))
    mail_domains = (own_domains | {domain_of(e) for e in identity.emails}) - WEBMAIL - {""}
    contact_mail_domain = domain_of(contact.email) if contact.email and "@" in contact.email else ""
    if contact_mail_domain and contact_mail_domain in mail_domains:
        found.append(Evidence("email_domain", WEIGHTS["email_domain"], contact_mail_domain))
    similarity = max(name_similarity(identity.name, contact.name), name_similarity(root, contact.name))
    if similarity >= NAME_THRESHOLD:
        points = round(WEIGHTS["name"] * (similarity - NAME_THRESHOLD) / (1 - NAME_THRESHOLD))
        if points:
            found.append(Evidence("name", points, f"{similarity:.0%}"))
    return tuple(sorted(found, key=lambda e: -e.points))


def rank_candidates(identity, contacts, limit=5):
    """The contacts with any evidence, the best first (ties: the lowest id)."""
    candidates = []
    for contact in contacts:
        evidence = evidence_for(identity, contact)
        if evidence:
            score = min(100, sum(e.points for e in evidence))
            candidates.append(Candidate(contact.id, score, evidence))
    candidates.sort(key=lambda c: (-c.score, c.contact_id))
    return candidates[:limit]
