"""Explained priority of a social ticket, mapped to helpdesk priorities 0-3
(Very High from 65 points, High from 38, Medium from 18).

    sentiment   up to 30  30 x how negative the VADER compound is (0 when not
                          negative); 8 when the language is not scored, so an
                          unscored complaint is not treated as a happy one, and
                          8 when VADER calls a complaint positive (its negation
                          rule misfires across sentences: "not answering.
                          Terrible service" scores +0.80)
    intent      up to 15  complaint 15, question 8, purchase intent 5
    influence   up to 25  a quarter of the author's influence (0-100)
    urgency     up to 15  urgency words: "urgent", "asap", "outage", "security"...
    customer    up to 15  log-scaled value of the contact's leads and deals
"""

import math
import re

HELPDESK_PRIORITIES = ("0", "1", "2", "3")  # Low, Medium, High, Very High
THRESHOLDS = ((65, "3"), (38, "2"), (18, "1"))
URGENCY = re.compile(
    r"(?<!\w)(urgent|urgently|asap|immediately|emergency|outage|down for|data loss|security|hacked|"
    r"breach|lawyer|lawsuit|legal action|dringend|sofort|urgente|urgence|imm[ée]diatement|subito|"
    r"inmediatamente|urgentemente)(?!\w)",
    re.IGNORECASE,
)
INTENT_POINTS = {"complaint": 15, "question": 8, "purchase_intent": 5}
UNSCORED_SENTIMENT_POINTS = 8


def priority_score(text="", compound=None, intent="other", influence=0, customer_value=0.0, drivers=""):
    """``(helpdesk priority, score 0-100, breakdown)``; ``drivers``, what drove the sentiment
    ("'is down' -2.2, 'refund' -1.2"), is shown with the sentiment reason."""
    contradicted = compound is not None and intent == "complaint" and compound > 0
    if compound is None or contradicted:
        sentiment = UNSCORED_SENTIMENT_POINTS
    else:
        sentiment = 30 * max(0.0, -float(compound))
    urgency_words = sorted({m.group(0).lower() for m in URGENCY.finditer(text or "")})
    value = max(0.0, float(customer_value or 0.0))
    parts = {
        "sentiment": round(sentiment, 1),
        "intent": INTENT_POINTS.get(intent, 0),
        "influence": round(max(0, min(100, influence or 0)) / 4, 1),
        "urgency": 15 if urgency_words else 0,
        "customer": round(min(15.0, 15 * math.log10(value + 1) / 6), 1),
    }
    score = int(round(min(100.0, sum(parts.values()))))
    priority = next((level for threshold, level in THRESHOLDS if score >= threshold), "0")
    because = f": {drivers}" if drivers else ""
    reasons = []
    if compound is None:
        reasons.append(f"sentiment not scored (+{parts['sentiment']})")
    elif contradicted:
        reasons.append(f"positive score {compound:+.2f} on a complaint, counted as unknown (+{parts['sentiment']})")
    elif parts["sentiment"]:
        reasons.append(f"negative sentiment {compound:+.2f} (+{parts['sentiment']}){because}")
    if parts["intent"]:
        reasons.append(f"{intent.replace('_', ' ')} (+{parts['intent']})")
    if parts["influence"]:
        reasons.append(f"author influence {influence}/100 (+{parts['influence']})")
    if urgency_words:
        reasons.append(f"urgency: {', '.join(urgency_words)} (+15)")
    if parts["customer"]:
        reasons.append(f"customer value {value:,.0f} (+{parts['customer']})")
    return priority, score, {"components": parts, "reasons": reasons}
