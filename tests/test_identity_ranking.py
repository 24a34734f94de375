"""Candidate contacts of a social identity, ranked with their evidence (pure)."""

from social_crm.scoring.identity import (
    Contact,
    Identity,
    domain_of,
    handle_root,
    name_similarity,
    rank_candidates,
)

JANE = Identity(
    handle="jane_cooper@mastodon.social",
    name="Jane Cooper",
    profile_url="https://mastodon.social/@jane_cooper",
    website="https://janecooper.example/blog",
    emails=("hello@janecooper.example",),
)


def codes(candidate):
    return [e.code for e in candidate.evidence]


def test_handle_roots_across_platforms():
    assert handle_root("jane_cooper@mastodon.social") == "jane_cooper"
    assert handle_root("@Jane_Cooper.bsky.social") == "jane_cooper"
    assert handle_root("jane_cooper") == "jane_cooper"
    assert domain_of("https://www.JaneCooper.example/blog?x=1") == "janecooper.example"
    assert domain_of("jane@janecooper.example") == "janecooper.example"


def test_names_compare_without_case_accents_or_order():
    assert name_similarity("José Ruiz", "ruiz jose") == 1.0
    assert name_similarity("Jane Cooper", "Bob Stone") < 0.5


def test_candidates_are_ranked_by_their_evidence():
    contacts = [
        Contact(1, name="Bob Stone", email="bob@janecooper.example"),  # e-mail domain only
        Contact(
            2, name="Jane Cooper", email="jane.cooper@gmail.com", handles=(("Bluesky", "jane_cooper.bsky.social"),)
        ),
        Contact(3, name="J. Cooper", website="https://janecooper.example"),  # same web site
        Contact(4, name="Someone Else", email="x@gmail.com"),  # nothing in common
        Contact(5, name="Jane Cooper", website="https://mastodon.social/@jane_cooper"),  # the profile page itself
    ]
    ranked = rank_candidates(JANE, contacts)
    assert [c.contact_id for c in ranked] == [5, 2, 3, 1]
    best = ranked[0]
    assert codes(best) == ["profile_url", "name"] and best.score == 80
    assert codes(ranked[1]) == ["handle", "name"]
    assert ranked[1].evidence[0].detail == "@jane_cooper.bsky.social (Bluesky)"
    assert codes(ranked[2]) == ["website", "name"] and ranked[2].evidence[0].detail == "janecooper.example"
    assert codes(ranked[3]) == ["email_domain"] and ranked[3].evidence[0].detail == "janecooper.example"


def test_webmail_and_profile_hosts_are_no_evidence():
    identity = Identity(handle="kim", name="Kim", website="https://x.com/kim", emails=("kim@gmail.com",))
    contacts = [Contact(1, name="Tom", email="tom@gmail.com"), Contact(2, name="Ann", website="https://x.com/ann")]
    assert rank_candidates(identity, contacts) == []


def test_the_score_is_bounded_and_the_list_short():
    contacts = [Contact(i, name="Jane Cooper", website="https://mastodon.social/@jane_cooper") for i in range(1, 9)]
    ranked = rank_candidates(JANE, contacts, limit=3)
    assert len(ranked) == 3 and all(c.score <= 100 for c in ranked)
    assert [c.contact_id for c in ranked] == [1, 2, 3]
