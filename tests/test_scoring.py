"""Influence and priority: bounded, monotonic, explained."""

import json

from social_crm.scoring import REASON_CODES, influence_score, priority_score, reason_text


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


def test_unknown_sentiment_neither_penalises_nor_favours_a_language():
    english = "Your app stopped working and support never answers. Terrible, I want a refund."
    german = "Eure App funktioniert nicht mehr und der Support antwortet nie. Schrecklich, ich will mein Geld zurück."
    # the caller's average of scored complaints: the German one counts as exactly that
    for average in (-0.2, -0.55, -0.9):
        scored = priority_score(english, compound=average, intent="complaint", influence=20)
        unscored = priority_score(german, compound=None, intent="complaint", influence=20, expected_compound=average)
        assert unscored[1] == scored[1]
        assert unscored[2]["components"] == scored[2]["components"]
    # without an average, the prior: a complaint is moderately negative, a question neutral
    prior = priority_score(german, compound=None, intent="complaint")
    assert (
        prior[2]["components"]["sentiment"]
        == priority_score(english, compound=-0.5, intent="complaint")[2]["components"]["sentiment"]
    )
    assert "counted as -0.50" in prior[2]["reasons"][0]
    question = priority_score("Wie exportiere ich Rechnungen?", compound=None, intent="question")
    assert question[2]["components"]["sentiment"] == 0


def test_outage_safety_and_legal_threats_are_very_high():
    cases = {
        "Your platform is down, the whole company is down since 9am": "outage",
        "Outage again?! Nobody can log in": "outage",
        "Bei euch ist alles ausgefallen, niemand kann sich einloggen": "outage",
        "Le service est en panne depuis ce matin": "outage",
        "My charger caught fire last night, this is dangerous": "safety",
        "Das Ladegerät ist überhitzt und hat mir einen Stromschlag gegeben": "safety",
        "I have contacted my lawyer, expect legal action": "legal",
        "Je vais porter plainte, mon avocat est prévenu": "legal",
    }
    for text, kind in cases.items():
        priority, score, breakdown = priority_score(text, compound=None, intent="other")
        assert priority == "3" and score >= 65, (text, breakdown)
        assert kind in breakdown["critical"], text
        assert "(Very High)" in breakdown["reasons"][0]
        assert breakdown["sum"] < 65  # the floor, not the words' points, made it Very High


def test_everyday_words_are_not_critical():
    for text in (
        "Download the new version, it is great",
        "Calm down, the update went fine",
        "Our brand loves your product, no one can beat your prices",
        "We are storing our invoices in Acme",
        "Sales are up, thumbs up",
    ):
        assert priority_score(text, compound=0.5, intent="praise")[2]["critical"] == {}, text


def test_sentiment_drivers_are_quoted_in_the_explanation():
    _priority, _score, breakdown = priority_score(
        "terrible, worst app", compound=-0.8, intent="complaint", sentiment_drivers=("terrible", "worst")
    )
    assert "negative sentiment -0.80 (+24.0): 'terrible', 'worst'" in breakdown["reasons"]


def test_priority_is_monotonic_in_each_signal():
    base = priority_score("x", compound=-0.2, intent="question", influence=10)[1]
    assert priority_score("x", compound=-0.8, intent="question", influence=10)[1] > base
    assert priority_score("x", compound=-0.2, intent="question", influence=90)[1] > base
    assert priority_score("x", compound=-0.2, intent="complaint", influence=10)[1] > base


def test_positive_score_on_a_complaint_is_not_trusted():
    text = "URGENT: the sync stopped and support is not answering. Terrible service, I want a refund."
    priority, score, breakdown = priority_score(text, compound=0.80, intent="complaint")
    assert breakdown["components"]["sentiment"] == 15  # counted as the prior, -0.5
    assert "positive score +0.80 on a complaint, counted as -0.50" in breakdown["reasons"][0]
    assert priority == "2" and score == 45


def test_reasons_are_stored_as_codes_with_parameters_and_read_in_english():
    _priority, _score, breakdown = priority_score(
        "The site is down, urgent! Worst service",
        compound=None,
        intent="complaint",
        influence=40,
        customer_value=5000,
        expected_compound=-0.4,
    )
    codes = [reason["code"] for reason in breakdown["explained"]]
    assert codes == ["critical", "sentiment_expected", "intent", "influence", "urgency", "customer"]
    assert set(codes) <= set(REASON_CODES)
    assert json.loads(json.dumps(breakdown["explained"])) == breakdown["explained"]  # storable as it is
    assert breakdown["reasons"] == [reason_text(reason) for reason in breakdown["explained"]]
    assert breakdown["explained"][1]["params"] == {
        "why": "not_scored",
        "compound": None,
        "expected": -0.4,
        "source": "average",
        "intent": "complaint",
        "points": 12.0,
    }
    assert breakdown["reasons"][1] == "sentiment not scored, counted as -0.40 (average of scored complaints) (+12.0)"
    assert reason_text({"code": "text", "params": {"text": "kept from 18.0.1.1.0"}}) == "kept from 18.0.1.1.0"
