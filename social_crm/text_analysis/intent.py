"""Rule-based, explainable intent: question, complaint, praise, purchase intent.

Every verdict comes with the cues that produced it ("complaint: 'refund',
'not working'"), so an agent can see why a mention became a ticket. Cues exist
for English, German, French, Spanish, Italian, Portuguese and Dutch; emoji and
punctuation cues work in any language.
"""

import dataclasses
import re

from .care import PROBLEM_CUES

QUESTION = "question"
COMPLAINT = "complaint"
PRAISE = "praise"
PURCHASE = "purchase_intent"
OTHER = "other"
INTENTS = (QUESTION, COMPLAINT, PRAISE, PURCHASE, OTHER)
# when two intents score the same, the one needing action first wins
PRECEDENCE = (COMPLAINT, PURCHASE, QUESTION, PRAISE)
# a complaint cue ("refund", "not working") says more than a question word
WEIGHTS = {COMPLAINT: 2.0, PURCHASE: 1.5, QUESTION: 1.0, PRAISE: 1.0}

CUES = {
    COMPLAINT: {
        "en": [
            "not working",
            "doesn't work",
            "does not work",
            "stopped working",
            "broken",
            "refund",
            "worst",
            "terrible",
            "awful",
            "horrible",
            "useless",
            "scam",
            "disappointed",
            "disappointing",
            "still waiting",
            "no response",
            "no reply",
            "never again",
            "unacceptable",
            "ripoff",
            "rip off",
            "complaint",
            "cancel my",
            "crash",
            "crashes",
            "crashed",
            "bug",
            "outage",
            "is down",
            "went down",
            "can't login",
            "cannot login",
            "can't log in",
            "charged twice",
            "overcharged",
            "lost my",
            "fix this",
            "fed up",
            "frustrated",
            "frustrating",
            "poor service",
            "bad service",
            "waste of",
            "hate",
            "sucks",
            "error",
        ],
        "de": [
            "funktioniert nicht",
            "kaputt",
            "enttäuscht",
            "enttäuschend",
            "katastrophe",
            "frechheit",
            "betrug",
            "rückerstattung",
            "geld zurück",
            "beschwerde",
            "schlechter service",
            "keine antwort",
            "warte immer noch",
            "unmöglich",
            "ärgerlich",
            "fehler",
            "abgestürzt",
            "nie wieder",
        ],
        "fr": [
            "ne marche pas",
            "ne fonctionne pas",
            "arnaque",
            "remboursement",
            "déçu",
            "déçue",
            "nul",
            "inadmissible",
            "plainte",
            "toujours en attente",
            "aucune réponse",
            "en panne",
            "honteux",
            "jamais plus",
            "bug",
            "erreur",
        ],
        "es": [
            "no funciona",
            "estafa",
            "reembolso",
            "pésimo",
            "pesimo",
            "decepcionado",
            "decepcionada",
            "queja",
            "sin respuesta",
            "sigo esperando",
            "vergüenza",
            "nunca más",
            "error",
            "fatal",
        ],
        "it": [
            "non funziona",
            "truffa",
            "rimborso",
            "pessimo",
            "deluso",
            "delusa",
            "reclamo",
            "nessuna risposta",
            "ancora in attesa",
            "vergogna",
            "mai più",
            "errore",
        ],
        "pt": [
            "não funciona",
            "nao funciona",
            "golpe",
            "reembolso",
            "péssimo",
            "pessimo",
            "decepcionado",
            "reclamação",
            "reclamacao",
            "sem resposta",
            "ainda esperando",
            "vergonha",
            "nunca mais",
            "erro",
        ],
        "nl": ["werkt niet", "kapot", "oplichting", "terugbetaling", "teleurgesteld", "klacht", "geen reactie"],
        "emoji": ["😡", "🤬", "😤", "👎", "😠", "💢", "🙄"],
    },
    PRAISE: {
        "en": [
            "love",
            "loving",
            "awesome",
            "amazing",
            "great job",
            "great service",
            "thank you",
            "thanks",
            "thx",
            "best",
            "excellent",
            "fantastic",
            "wonderful",
            "brilliant",
            "impressed",
            "highly recommend",
            "kudos",
            "well done",
            "shoutout",
            "shout out",
            "5 stars",
            "five stars",
            "perfect",
            "superb",
        ],
        "de": [
            "danke",
            "super",
            "toll",
            "großartig",
            "grossartig",
            "begeistert",
            "empfehle",
            "klasse",
            "spitze",
            "liebe",
        ],
        "fr": ["merci", "génial", "genial", "j'adore", "excellent", "bravo", "parfait", "formidable", "top"],
        "es": ["gracias", "genial", "me encanta", "excelente", "increíble", "increible", "perfecto", "recomiendo"],
        "it": ["grazie", "fantastico", "adoro", "ottimo", "eccellente", "perfetto", "consiglio", "bravissimi"],
        "pt": ["obrigado", "obrigada", "adoro", "incrível", "incrivel", "excelente", "perfeito", "recomendo"],
        "nl": ["bedankt", "dank je", "geweldig", "fantastisch", "top", "aanrader"],
        "emoji": ["❤", "😍", "🥰", "👏", "🙏", "🎉", "😊", "💯", "🙌", "⭐", "👍"],
    },
    PURCHASE: {
        "en": [
            "how much",
            "price",
            "pricing",
            "quote",
            "buy",
            "purchase",
            "place an order",
            "want to order",
            "demo",
            "trial",
            "subscription",
            "subscribe",
            "license",
            "licence",
            "plans",
            "looking for a",
            "looking for an",
            "recommend a",
            "alternative to",
            "switch to",
            "where can i get",
            "want to get",
            "sales team",
            "contact sales",
            "discount",
            "cost",
        ],
        "de": [
            "preis",
            "preise",
            "kaufen",
            "angebot",
            "bestellen",
            "kosten",
            "lizenz",
            "testversion",
            "abo",
            "suche eine",
        ],
        "fr": ["prix", "acheter", "devis", "commander", "tarif", "tarifs", "abonnement", "essai", "licence", "combien"],
        "es": [
            "precio",
            "comprar",
            "cotización",
            "cotizacion",
            "presupuesto",
            "suscripción",
            "prueba",
            "cuánto cuesta",
            "cuanto cuesta",
        ],
        "it": ["prezzo", "comprare", "acquistare", "preventivo", "abbonamento", "prova gratuita", "quanto costa"],
        "pt": ["preço", "preco", "comprar", "orçamento", "orcamento", "assinatura", "quanto custa", "teste grátis"],
        "nl": ["prijs", "kopen", "offerte", "bestellen", "abonnement", "proefversie", "hoeveel kost"],
        "emoji": ["💳", "🛒"],
    },
    QUESTION: {
        "en": [
            "how do i",
            "how can i",
            "how to",
            "what is",
            "what's",
            "why is",
            "why does",
            "when will",
            "where is",
            "can i",
            "could you",
            "does anyone",
            "anyone know",
            "is there",
            "is it possible",
            "help me",
            "need help",
            "any idea",
            "please advise",
            "can you",
            "can u",
            "can someone",
            "can anyone",
            "will you",
            "would you",
            "do you",
            "do i",
            "did you",
            "are you",
            "is my",
            "how long",
            "how come",
            "when is",
            "when can",
            "when do",
            "what time",
            "what happened",
            "why did",
            "why are",
            "why can't",
            "why won't",
            "where are",
            "where's",
            "any update",
            "any updates",
            "any news",
            "help please",
            "how about",
            "when should",
            "who do i",
            "who can",
            "anyone else",
            "what about",
            "what's going on",
            "what is going on",
            "what's up with",
            "get back to me",
            "please get back",
            "call me back",
            "dm me",
            "please respond",
            "please reply",
            "let me know",
            "any help",
            "please help",
            "any suggestions",
            "what should i do",
            "please explain",
            "how is it",
            "why is it",
            "is anyone",
        ],
        "de": [
            "wie kann",
            "wie geht",
            "was ist",
            "warum",
            "wann",
            "wo ist",
            "kann ich",
            "gibt es",
            "weiß jemand",
            "hilfe",
        ],
        "fr": ["comment", "pourquoi", "quand", "où est", "est-ce que", "puis-je", "quelqu'un sait", "aide"],
        "es": ["cómo", "como puedo", "por qué", "cuándo", "dónde", "puedo", "alguien sabe", "ayuda"],
        "it": ["come posso", "perché", "quando", "dove", "posso", "qualcuno sa", "aiuto"],
        "pt": ["como faço", "como posso", "por que", "quando", "onde", "posso", "alguém sabe", "ajuda"],
        "nl": ["hoe kan", "waarom", "wanneer", "waar is", "kan ik", "weet iemand", "hulp"],
        "emoji": ["🤔", "❓", "❔"],
    },
}
# problem reports are complaints even without a complaint word ("my order never arrived")
# problem reports that are no complaint word of their own ("delayed", not "refund")
_PROBLEM_ONLY = frozenset(cue for cues in PROBLEM_CUES.values() for cue in cues) - frozenset(
    cue for cues in CUES[COMPLAINT].values() for cue in cues
)
for _language, _cues in PROBLEM_CUES.items():
    CUES[COMPLAINT].setdefault(_language, [])
    CUES[COMPLAINT][_language] = sorted(set(CUES[COMPLAINT][_language]) | set(_cues))
NEEDS = frozenset("need needs please pls plz".split())
CONTEST = frozenset("win giveaway sweepstakes vote voting".split())
SERVICE_QUESTION_WEIGHT = 0.5
HAPPY = 0.35  # a happy customer's aside ("you'll match my status? Cool!") is no request
SERVICE_WORDS = frozenset(
    "order orders account app website site flight flights booking reservation ticket tickets refund "
    "delivery package parcel bag bags luggage baggage seat seats payment card bill invoice subscription "
    "login password status claim warranty repair replacement voucher upgrade miles points gate "
    "bestellung konto lieferung paket sendung zug fahrkarte rechnung erstattung "
    "commande compte livraison colis billet vol facture remboursement "
    "pedido cuenta envío envio paquete vuelo factura billete reembolso "
    "ordine conto spedizione pacco volo fattura biglietto rimborso "
    "conta entrega pacote voo fatura passagem "
    "bestelling rekening levering pakket vlucht factuur terugbetaling".split()
)
QUESTION_MARK = re.compile(r"[?？¿]")
# a question mark alone ("Blog?", "On what grounds?") is chatter; with a question cue it is a question
QUESTION_MARK_WEIGHT = 0.5
MIN_SCORE = 1.0
TOKEN = re.compile(r"[\w']+", re.UNICODE)


def _tokens(text):
    return tuple(TOKEN.findall(text.lower()))


def _compile():
    """Index the cues of every intent together: word cues as token n-grams
    (whole words only, so "bug" never matches "debugging"), symbol cues (emoji)
    as substrings. Matching is then one tokenisation and one set look-up per
    token n-gram of the text."""
    ngrams, symbols = {}, []
    for intent, by_language in CUES.items():
        for cue in sorted({cue for cues in by_language.values() for cue in cues}):
            tokens = _tokens(cue)
            if tokens and "".join(tokens) == re.sub(r"[\s-]", "", cue.lower()):
                ngrams.setdefault(tokens, []).append((intent, cue))
            else:
                symbols.append((intent, cue))
    return ngrams, tuple(symbols), max(len(k) for k in ngrams)


_INDEX = _compile()


@dataclasses.dataclass(frozen=True)
class IntentResult:
    intent: str
    scores: dict
    evidence: dict  # intent -> matched cues

    def explanation(self):
        if self.intent == OTHER:
            return "no question, complaint, praise or purchase cue"
        cues = ", ".join(f"'{cue}'" for cue in self.evidence.get(self.intent, ()))
        return f"{self.intent.replace('_', ' ')}: {cues}"


def _customer_question(text, tokens, evidence, scores, sentiment):
    """The question mark, and what asks the addressee about a service: a question about an order,
    a booking, an account; "I need my bag by tonight", "please rebook my flight". Not when the
    post praises or is happy ("you'll match my status? Cool!")."""
    asked = QUESTION_MARK.search(text) is not None
    if asked:
        scores[QUESTION] += QUESTION_MARK_WEIGHT
    service = sorted(set(tokens) & SERVICE_WORDS)
    if service and not evidence[PRAISE] and not evidence[QUESTION] and (sentiment or 0.0) < HAPPY:
        if asked:
            scores[QUESTION] += SERVICE_QUESTION_WEIGHT
            evidence[QUESTION].append(service[0])
        elif NEEDS.intersection(tokens):
            scores[QUESTION] += WEIGHTS[QUESTION]
            evidence[QUESTION].extend(sorted(NEEDS.intersection(tokens))[:1] + service[:1])
    if asked:
        evidence[QUESTION].append("?")


def classify_intent(text, sentiment=None):
    """Classify ``text``; ``sentiment`` (the compound score, when scored) adds
    weight to complaint or praise when strong."""
    text = text or ""
    tokens = _tokens(text)
    evidence = {intent: [] for intent in CUES}
    ngrams, symbols, longest = _INDEX
    for size in range(1, longest + 1):
        for start in range(len(tokens) - size + 1):
            for intent, cue in ngrams.get(tokens[start : start + size], ()):
                if cue not in evidence[intent]:
                    evidence[intent].append(cue)
    for intent, symbol in symbols:
        if symbol in text:
            evidence[intent].append(symbol)
    if evidence[QUESTION] and not CONTEST.isdisjoint(tokens):
        # "help me win this giveaway", "please help us win, vote": a contest, not a request
        evidence[QUESTION] = [cue for cue in evidence[QUESTION] if "help" not in cue]
    scores = {intent: WEIGHTS[intent] * len(cues) for intent, cues in evidence.items()}
    _customer_question(text, tokens, evidence, scores, sentiment)
    if sentiment is not None:
        if sentiment <= -0.5:
            scores[COMPLAINT] += 1.0
            evidence[COMPLAINT].append(f"sentiment {sentiment:+.2f}")
        elif sentiment >= 0.5 and scores[PRAISE]:
            scores[PRAISE] += 0.5
            # a problem told inside clear praise was solved ("thanks for getting me home after
            # the delay"): its problem words count half; complaint words ("refund") stay whole
            told = [cue for cue in evidence[COMPLAINT] if cue in _PROBLEM_ONLY]
            scores[COMPLAINT] -= WEIGHTS[COMPLAINT] / 2 * len(told)
    # a complaint phrased as a question ("why is it still broken?") is a complaint
    if scores[COMPLAINT] and scores[QUESTION]:
        scores[QUESTION] -= 0.5
    best = max(PRECEDENCE, key=lambda intent: (scores[intent], -PRECEDENCE.index(intent)))
    if scores[best] < MIN_SCORE:
        best = OTHER
    evidence = {k: v for k, v in evidence.items() if v}
    return IntentResult(best, {k: round(v, 2) for k, v in scores.items()}, evidence)
