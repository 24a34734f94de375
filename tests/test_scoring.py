"""Influence and priority: bounded, monotonic, explained."""

from social_crm.scoring import influence_score, priority_score


def test_influence_is_bounded_and_log_scaled():
    nobody, _ = influence_score()
    assert nobody == 0
    small, _ = influence_score(followers=100)
    big, _ = influence_score(followers=100_000)
    huge, breakdown = influence_score(followers=50_000_000, avg_interactions=1e6, verified=True, mentions=50)
    assert 0 < small < big < huge <= 100
    assert huge == 100
    assert set(breakdown["components"]) == {"reach", "engagement", "verified", "activity"}
    assert breakdown["components"]["reach"] == 55  # capped
    # log scale: 1000x the followers is nowhere near 1000x the score
    assert big / small < 3


def test_influence_breakdown_adds_up():
    score, breakdown = influence_score(followers=34920, avg_interactions=12, verified=False, mentions=2)
    assert score == round(sum(breakdown["components"].values()))
    assert breakdown["inputs"]["followers"] == 34920


def test_priority_maps_to_helpdesk_levels_with_reasons():
    low = priority_score("nice weather", compound=0.4, intent="other")
    assert low[0] == "0" and low[2]["reasons"] == []
    angry = priority_score(
        "URGENT: the app is down and I want a refund",
        compound=-0.9,
        intent="complaint",
        influence=80,
        customer_value=250_000,
    )
    assert angry[0] == "3" and angry[1] >= 70
    reasons = " ".join(angry[2]["reasons"])
    assert "negative sentiment -0.90" in reasons and "urgency: urgent" in reasons and "customer value" in reasons


def test_unscored_language_is_not_treated_as_happy():
    german = priority_score("Funktioniert nicht!", compound=None, intent="complaint")
    english_neutral = priority_score("It does not work", compound=0.0, intent="complaint")
    assert german[1] > english_neutral[1]
    assert "sentiment not scored" in german[2]["reasons"][0]


def test_priority_is_monotonic_in_each_signal():
    base = priority_score("x", compound=-0.2, intent="question", influence=10)[1]
    assert priority_score("x", compound=-0.8, intent="question", influence=10)[1] > base
    assert priority_score("x", compound=-0.2, intent="question", influence=90)[1] > base
    assert priority_score("x", compound=-0.2, intent="complaint", influence=10)[1] > base


def test_positive_score_on_a_complaint_is_not_trusted():
    text = "URGENT: sync is down and support is not answering. Terrible service, I want a refund."
    priority, score, breakdown = priority_score(text, compound=0.80, intent="complaint")
    assert breakdown["components"]["sentiment"] == 8
    assert "counted as unknown" in breakdown["reasons"][0]
    assert priority == "2" and score == 38
