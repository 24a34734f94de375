"""Explained priority of a social ticket, mapped to helpdesk priorities 0-3
(Very High from 65 points, High from 38, Medium from 18).

    sentiment   up to 30  30 x how negative the VADER compound is (0 when not
                          negative). When the sentiment is unknown (a language
                          VADER does not score, or a positive score on a
                          complaint: VADER's negation rule misfires across
                          sentences, "not answering. Terrible service" scores
                          +0.80), the compound *expected* for the intent is
                          used: ``expected_compound`` (the caller gives the
                          average of its scored mentions of that intent), else
                          the prior below. An unscored language thus ranks
                          like a scored one with average words: it is neither
                          penalised nor favoured.
    intent      up to 15  complaint 15, question 8, purchase intent 5
    influence   up to 25  a quarter of the author's influence (0-100)
    urgency     up to 15  urgency words: "urgent", "asap", "hacked"...
    customer    up to 15  log-scaled value of the contact's leads and deals
    critical    floor     an outage, a safety issue or a legal threat raises
                          the score to 65 (Very High) whatever the sum

Every component is named in ``breakdown["components"]`` and explained in
``breakdown["explained"]``: a list of ``{"code": ..., "params": {...}}`` (stored
on the ticket and rendered there in the reader's language; see
:data:`REASON_CODES`). ``breakdown["reasons"]`` holds the same in English
(:func:`reason_text`), for logs and command-line use.
"""

import math
import re

HELPDESK_PRIORITIES = ("0", "1", "2", "3")  # Low, Medium, High, Very High
THRESHOLDS = ((65, "3"), (38, "2"), (18, "1"))
VERY_HIGH = THRESHOLDS[0][0]


def _words(*alternatives):
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


URGENCY = _words(
    r"urgent",
    r"urgently",
    r"asap",
    r"immediately",
    r"emergency",
    r"security",
    r"hacked",
    r"breach",
    r"dringend",
    r"sofort",
    r"urgente",
    r"urgence",
    r"imm[ée]diatement",
    r"subito",
    r"inmediatamente",
    r"urgentemente",
    r"spoed",
)
# What makes a ticket Very High however calm the words: phrases rather than
# single words, so that "download", "calm down" or "our brand" do not count.
_DOWN_SUBJECTS = (
    r"site|website|app|apps|service|services|server|servers|system|systems|platform|api|login|checkout|"
    r"payments?|sync|email|e-mail|everything|it|you|dashboard|portal|network|store|shop"
)
CRITICAL = {
    "outage": _words(
        r"outages?",
        rf"(?:{_DOWN_SUBJECTS})\s+(?:is|are|was|were|went|goes|has been|have been|keeps going|still|seems?)"
        r"(?:\s+(?:still|completely|totally|all|again))?\s+down",
        r"(?:whole|entire)\s+\w+\s+(?:is|are|was|went)\s+down",
        r"down\s+for\s+(?:everyone|everybody|all(?: of us)?|us|hours|days)",
        r"(?:nobody|no one|no-one|none of us) can (?:log ?in|sign in|access|work|connect|use it|pay|check out)",
        r"all (?:of )?(?:our|my) (?:users|staff|employees|customers|team) (?:can't|cannot|can not|are locked)",
        r"data loss",
        r"lost all (?:of )?(?:our|my|the) data",
        r"(?:service|site|website|app|server|platform|api) (?:is )?(?:unavailable|unreachable|offline)",
        r"(?:total|komplett|völlig|vollständig)?ausgefallen",
        r"(?:total)?ausfall",
        r"störung",
        r"(?:niemand|keiner) kann (?:sich )?(?:mehr )?(?:einloggen|anmelden|arbeiten|zugreifen)",
        r"geht (?:gar )?nichts mehr",
        r"en panne",
        r"panne générale",
        r"hors service",
        r"personne ne peut (?:plus )?(?:se connecter|travailler|accéder)",
        r"plus rien ne (?:marche|fonctionne)",
        r"(?:está|esta|están|estan) caíd[oa]s?",
        r"caída del servicio",
        r"nadie puede (?:entrar|acceder|trabajar|conectarse|iniciar sesión)",
        r"no funciona nada",
        r"fuera de servicio",
        r"disservizio",
        r"fuori servizio",
        r"nessuno (?:può|riesce a) (?:accedere|lavorare|entrare|collegarsi)",
        r"non funziona (?:niente|nulla)",
        r"fora do ar",
        r"ninguém consegue (?:acessar|entrar|trabalhar|logar)",
        r"não funciona nada",
        r"(?:een|grote|landelijke) storing",
        r"ligt (?:plat|eruit)",
        r"niemand kan (?:meer )?(?:inloggen|werken|erin)",
        r"werkt niets meer",
    ),
    "safety": _words(
        r"caught fire",
        r"(?:burst|went up) in(?:to)? flames",
        r"fire hazard",
        r"smok(?:e|ing) (?:is )?(?:came|coming|comes) out",
        r"overheat(?:s|ed|ing)",
        r"explod(?:e|es|ed|ing)",
        r"electric(?:al)? shock",
        r"electrocut\w*",
        r"(?:got|was|were|been|is|are) (?:badly )?(?:burned|burnt|hurt|injured)",
        r"injur(?:y|ies)",
        r"unsafe",
        r"dangerous",
        r"safety (?:issue|hazard|problem|risk|concern)",
        r"choking hazard",
        r"poison(?:ed|ing|ous)",
        r"allergic reaction",
        r"brandgefahr",
        r"brennt",
        r"feuer gefangen",
        r"überhitz\w*",
        r"explodiert",
        r"stromschlag",
        r"verletz(?:t|ung)",
        r"gefährlich",
        r"sicherheitsrisiko",
        r"incendie",
        r"(?:pris|prend) feu",
        r"surchauffe",
        r"explosé",
        r"électrocut\w*",
        r"bless(?:é|ée|és|ure)",
        r"dangereu(?:x|se)",
        r"incendio",
        r"(?:se incendió|prendió fuego)",
        r"sobrecalent\w*",
        r"explotó",
        r"descarga eléctrica",
        r"herid[oa]",
        r"peligros[oa]",
        r"preso fuoco",
        r"surriscald\w*",
        r"esplos[oa]",
        r"ferit[oa]",
        r"pericolos[oa]",
        r"pegou fogo",
        r"superaquec\w*",
        r"explodiu",
        r"choque elétrico",
        r"perigos[oa]",
        r"vlam gevat",
        r"oververhit",
        r"ontploft",
        r"gewond",
        r"gevaarlijk",
    ),
    "legal": _words(
        r"lawyers?",
        r"attorneys?",
        r"lawsuits?",
        r"sue (?:you|them|your|this|acme)",
        r"suing",
        r"legal action",
        r"take (?:you|this|it|them) to court",
        r"see you in court",
        r"small claims",
        r"class action",
        r"report (?:you|this|it) to the (?:ftc|bbb|fcc|authorities|police|regulator|ombudsman)",
        r"consumer protection",
        r"(?:rechts)?anwält(?:in|e)",
        r"(?:rechts)?anwalt",
        r"verklagen",
        r"klage einreichen",
        r"rechtliche schritte",
        r"verbraucherzentrale",
        r"abmahnung",
        r"avocats?",
        r"poursuivre en justice",
        r"porter plainte",
        r"action en justice",
        r"mise en demeure",
        r"abogad[oa]s?",
        r"demandar(?:les|te|los)?",
        r"poner una demanda",
        r"acciones legales",
        r"avvocat[oa]",
        r"denunciar\w*",
        r"causa legale",
        r"vie legali",
        r"advogad[oa]",
        r"processar",
        r"processo judicial",
        r"ação judicial",
        r"procon",
        r"advocaat",
        r"rechtszaak",
        r"juridische stappen",
    ),
}
CRITICAL_LABELS = {"outage": "outage", "safety": "safety issue", "legal": "legal threat"}
INTENT_POINTS = {"complaint": 15, "question": 8, "purchase_intent": 5}
# What an unknown sentiment is counted as when the caller has no average of its
# own: a complaint as moderately negative (half the scale), anything else as neutral.
PRIOR_COMPOUND = {"complaint": -0.5}


# what each reason code means, with its parameters (the Odoo side translates them)
REASON_CODES = {
    "critical": "an outage, safety issue or legal threat: kind, words",
    "sentiment": "negative sentiment: compound, points, drivers (quoted words, may be empty)",
    "sentiment_expected": "sentiment unknown (why: not_scored or positive_on_complaint, compound), "
    "counted as expected (source: average or prior, intent), points",
    "intent": "intent, points",
    "influence": "influence (0-100), points",
    "urgency": "words, points",
    "customer": "value, points",
}


def _intent_words(intent):
    return intent.replace("_", " ")


def reason_text(reason):
    """The English sentence of one reason (``{"code", "params"}``)."""
    code, p = reason["code"], reason["params"]
    if code == "critical":
        quoted = ", ".join(f"'{word}'" for word in p["words"])
        return f"{CRITICAL_LABELS.get(p['kind'], p['kind'])}: {quoted} (Very High)"
    if code == "sentiment_expected":
        why = (
            "sentiment not scored"
            if p["why"] == "not_scored"
            else f"positive score {p['compound']:+.2f} on a complaint"
        )
        source = "average of scored" if p["source"] == "average" else "usual for"
        return f"{why}, counted as {p['expected']:+.2f} ({source} {_intent_words(p['intent'])}s) (+{p['points']})"
    if code == "sentiment":
        drivers = f": {p['drivers']}" if p.get("drivers") else ""
        return f"negative sentiment {p['compound']:+.2f} (+{p['points']}){drivers}"
    if code == "intent":
        return f"{_intent_words(p['intent'])} (+{p['points']})"
    if code == "influence":
        return f"author influence {p['influence']}/100 (+{p['points']})"
    if code == "urgency":
        return f"urgency: {', '.join(p['words'])} (+{p['points']})"
    if code == "customer":
        return f"customer value {p['value']:,.0f} (+{p['points']})"
    return str(p.get("text") or code)


def priority_score(
    text="",
    compound=None,
    intent="other",
    influence=0,
    customer_value=0.0,
    *,
    expected_compound=None,
    sentiment_drivers=(),
):
    """``(helpdesk priority, score 0-100, breakdown)``.

    ``compound`` is the VADER score, None when the language is not scored;
    ``expected_compound`` the average compound of the caller's scored
    mentions with this intent (None: the prior); ``sentiment_drivers`` the
    words that made the sentiment, quoted in the explanation: the analysis's
    explanation as a text ("'is down' -2.2, 'refund' -1.2") or a list of words."""
    contradicted = compound is not None and intent == "complaint" and compound > 0
    unknown = compound is None or contradicted
    if unknown:
        expected = PRIOR_COMPOUND.get(intent, 0.0) if expected_compound is None else float(expected_compound)
        sentiment = 30 * max(0.0, -expected)
    else:
        sentiment = 30 * max(0.0, -float(compound))
    urgency_words = sorted({m.group(0).lower() for m in URGENCY.finditer(text or "")})
    critical = {}
    for kind, pattern in CRITICAL.items():
        found = sorted({m.group(0).lower() for m in pattern.finditer(text or "")})
        if found:
            critical[kind] = found
    value = max(0.0, float(customer_value or 0.0))
    parts = {
        "sentiment": round(sentiment, 1),
        "intent": INTENT_POINTS.get(intent, 0),
        "influence": round(max(0, min(100, influence or 0)) / 4, 1),
        "urgency": 15 if urgency_words else 0,
        "customer": round(min(15.0, 15 * math.log10(value + 1) / 6), 1),
    }
    total = int(round(min(100.0, sum(parts.values()))))
    score = max(total, VERY_HIGH) if critical else total
    priority = next((level for threshold, level in THRESHOLDS if score >= threshold), "0")
    explained = []

    def explain(code, **params):
        explained.append({"code": code, "params": params})

    for kind, found in critical.items():
        explain("critical", kind=kind, words=found)
    if isinstance(sentiment_drivers, str):
        drivers = sentiment_drivers
    else:
        drivers = ", ".join(f"'{word}'" for word in sentiment_drivers or ())
    if unknown and parts["sentiment"]:
        explain(
            "sentiment_expected",
            why="not_scored" if compound is None else "positive_on_complaint",
            compound=compound,
            expected=expected,
            source="average" if expected_compound is not None else "prior",
            intent=intent,
            points=parts["sentiment"],
        )
    elif parts["sentiment"]:
        explain("sentiment", compound=float(compound), points=parts["sentiment"], drivers=drivers)
    if parts["intent"]:
        explain("intent", intent=intent, points=parts["intent"])
    if parts["influence"]:
        explain("influence", influence=influence, points=parts["influence"])
    if urgency_words:
        explain("urgency", words=urgency_words, points=15)
    if parts["customer"]:
        explain("customer", value=value, points=parts["customer"])
    breakdown = {
        "components": parts,
        "critical": critical,
        "sum": total,
        "explained": explained,
        "reasons": [reason_text(reason) for reason in explained],
    }
    return priority, score, breakdown
