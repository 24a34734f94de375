"""Rule-based, explainable intent: question, complaint, praise, purchase intent.

Every verdict comes with the cues that produced it ("complaint: 'refund',
'not working'"), so an agent can see why a mention became a ticket. Cues exist
for English, German, French, Spanish, Italian, Portuguese and Dutch; emoji and
punctuation cues work in any language.
"""

import dataclasses
import re

from . import care
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
            "let us know",
            "keep me posted",
            "keep us posted",
            "keep me updated",
            "keep us updated",
            "any word on",
            "any info",
            "any information",
            "any help",
            "please help",
            "any suggestions",
            "what should i do",
            "please explain",
            "how is it",
            "why is it",
            "is anyone",
            "should i",
            "should we",
            "will i",
            "will we",
            "am i",
            "do we",
            "can we",
            "could we",
            "how do we",
            "need assistance",
            "need some assistance",
            # asking to be contacted, or for news ("please call me", "any end in sight?")
            "call me",
            "contact me",
            "want an update",
            "need an update",
            "if you could",
            "any chance",
            "anyone there",
            "now what",
            "what now",
            "end in sight",
            "want someone",
            "need someone",
            # requests to the company ("get me home", "hire more staff", "check your website")
            "get me home",
            "get us home",
            "get me out",
            "get us out",
            "fix your",
            "hire more",
            "open more",
            "train your",
            "check your",
            "improve your",
            "do the right thing",
            "bring back",
            "give me my",
            "give us our",
            "send me my",
            "return my",
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
# what a customer deals with besides the service words: a negative post about one of these is a
# complaint ("the staff at the desk were rude"); a bad mood about the weather or a game is not
CUSTOMER_WORDS = SERVICE_WORDS | frozenset(
    "staff employee employees agent agents rep reps representative representatives crew pilot pilots "
    "manager supervisor desk counter checkin store shop product products item items device "
    "call calls callback email emails system wifi connection food meal meals hotel plane aircraft "
    "airport airline company customer customers service fee fees charge charged price "
    "experience shipping driver train bus".split()
)
# a service outcome negated in its clause is a problem report ("has not been located", "no one
# would tell me", "didn't get my miles credited"); English
NEGATIONS = frozenset(
    "not no never nobody nothing cannot cant wont dont didnt doesnt isnt wasnt havent hasnt couldnt "
    "wouldnt arent werent".split()
)
OUTCOMES = frozenset(
    "arrive arrived arriving deliver delivered answer answered reply replied respond responded return "
    "returned refund refunded receive received locate located found fix fixed resolve resolved contact "
    "contacted reach reached work works working load loads loading rebook rebooked honor honored "
    "process processed credit credited ship shipped showed heard hear tell told inform informed update "
    "updated notify notified confirm confirmed accept accepted help helped call called find show dm".split()
)
OUTCOME_WINDOW = 4  # words between the negation and the outcome ("has not yet been located")
CLAUSE = re.compile(r"[.!?;:,\n]+|\bbut\b", re.IGNORECASE)
# the support accounts of companies are named so (@AcmeSupport, @Acme_Help, @AcmeCares): a post to
# one that is no praise asks for support
SUPPORT_HANDLE = re.compile(r"(?<!\w)@\w*(?:support|help|care|cares|service|svc|custserv|assist)\w*", re.IGNORECASE)
# a customer who wrote privately waits for an answer ("I just DM'd you", "sent you an email")
PRIVATE_MESSAGE = re.compile(
    r"(?<!\w)(?:dm'?e?d|direct messaged|sent (?:you )?a dm|sent you an? (?:email|message)"
    r"|messaged you|emailed you)(?!\w)",
    re.IGNORECASE,
)
PRIVATE_MESSAGE_WORDS = frozenset("dm'd dmd dmed dm'ed dm messaged emailed email message".split())
# the service itself brought up ("this customer service experience", "cust serv")
SERVICE_TALK = re.compile(r"\bcust(?:omer)?\s*(?:service|serv|care|support|svc)\b", re.IGNORECASE)
SERVICE_TALK_WORDS = frozenset(
    "service serv care support svc custserv customerservice custservice customercare customersupport".split()
)
CONTEXT_WEIGHT = 1.0  # what a context adds (a negative post about a flight, a post to @AcmeSupport)
QUESTION_MARK = re.compile(r"[?？¿]")
# a question mark alone ("Blog?", "On what grounds?") is chatter; with a question cue it is a question
QUESTION_MARK_WEIGHT = 0.5
MIN_SCORE = 1.0
TOKEN = re.compile(r"[\w']+", re.UNICODE)
_DURATION = re.compile(care.DURATION)


def _tokens(text):
    return tuple(TOKEN.findall(text.lower()))


def _compile():
    """Index the cues of every intent together: word cues as token n-grams
    (whole words only, so "bug" never matches "debugging"), symbol cues (emoji)
    as substrings. Matching is then one tokenisation and one set look-up per
    token n-gram of the text that starts with a cue's first word."""
    ngrams, symbols = {}, []
    for intent, by_language in CUES.items():
        for cue in sorted({cue for cues in by_language.values() for cue in cues}):
            tokens = _tokens(cue)
            if tokens and "".join(tokens) == re.sub(r"[\s-]", "", cue.lower()):
                ngrams.setdefault(tokens, []).append((intent, cue))
            else:
                symbols.append((intent, cue))
    longest = max(len(k) for k in ngrams)
    # the first words of the cues of each length: only where one stands can a cue that long start
    firsts = [frozenset(k[0] for k in ngrams if len(k) == size) for size in range(longest + 1)]
    return ngrams, tuple(symbols), longest, firsts


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


def _negative_complaint(tokens, evidence, scores, drivers):
    """A negative post is a complaint when it is a customer's: its sentiment comes from the care
    vocabulary ("on hold", "2 hours", "was told") or it is about something a customer deals with
    ("the flight", "your staff"). "Sick as a dog" or "this game is killing me" is no complaint."""
    cared = next((words for words, weight in drivers if weight < 0 and _is_care_driver(words)), None)
    if cared:
        scores[COMPLAINT] += CONTEXT_WEIGHT
        evidence[COMPLAINT].append(f"negative: '{cared}'")
        return
    about = sorted(CUSTOMER_WORDS.intersection(tokens))
    if about:
        scores[COMPLAINT] += CONTEXT_WEIGHT
        evidence[COMPLAINT].append(f"negative about '{about[0]}'")


def _is_care_driver(words):
    """A driver of the care vocabulary (not its weak markers "still" and "why")."""
    low = words.lower()
    if low in care.MARKERS:
        return False
    return care.WORDS.get(low, 0) < 0 or care.PHRASES.get(low, 0) < 0 or _DURATION.fullmatch(low) is not None


def _negated_outcomes(text, words):
    """The first service outcome negated in its clause ("not ... located"), or nothing
    (``words``: the set of the text's tokens)."""
    bare = {w.replace("'", "") for w in words}
    if NEGATIONS.isdisjoint(bare) or OUTCOMES.isdisjoint(bare):
        return []
    for clause in CLAUSE.split(text.lower()):
        tokens = [token.replace("'", "") for token in TOKEN.findall(clause)]
        for i, token in enumerate(tokens):
            if token in OUTCOMES:
                negation = next((t for t in tokens[max(0, i - OUTCOME_WINDOW) : i] if t in NEGATIONS), None)
                if negation:
                    return [f"{negation} ... {token}"]
    return []


def _matched_cues(text, tokens):
    """The cues of every intent found in ``text`` (its ``tokens``), in their order of length and
    place."""
    evidence = {intent: [] for intent in CUES}
    ngrams, symbols, longest, firsts = _INDEX
    for size in range(1, longest + 1):
        first = firsts[size]
        for start in range(len(tokens) - size + 1):
            if tokens[start] not in first:
                continue
            for intent, cue in ngrams.get(tokens[start : start + size], ()):
                if cue not in evidence[intent]:
                    evidence[intent].append(cue)
    for intent, symbol in symbols:
        if symbol in text:
            evidence[intent].append(symbol)
    if evidence[QUESTION] and not CONTEST.isdisjoint(tokens):
        # "help me win this giveaway", "please help us win, vote": a contest, not a request
        evidence[QUESTION] = [cue for cue in evidence[QUESTION] if "help" not in cue]
    return evidence


def _customer_context(text, words, evidence, scores, sentiment, negative):
    """The service itself brought up, not to praise it, is a complaint; a post to a support
    account that is no praise asks for support (or complains, when negative)."""
    if not evidence[PRAISE] and (sentiment or 0.0) < HAPPY:
        talk = SERVICE_TALK.search(text) if not scores[COMPLAINT] and not SERVICE_TALK_WORDS.isdisjoint(words) else None
        if talk:
            scores[COMPLAINT] += CONTEXT_WEIGHT
            evidence[COMPLAINT].append(talk.group(0).lower())
        if "@" in text and SUPPORT_HANDLE.search(text):
            context = COMPLAINT if negative else QUESTION
            scores[context] += CONTEXT_WEIGHT
            evidence[context].append("to a support account")


def classify_intent(text, sentiment=None, negative=False, drivers=()):
    """Classify ``text``. ``sentiment``: the compound score, when scored; in a positive post,
    praise weighs more and problem words less. ``negative``: the sentiment's label is negative;
    with ``drivers`` (the sentiment's ``(words, weight)`` pairs) it makes a customer's negative
    post a complaint."""
    text = text or ""
    tokens = _tokens(text)
    evidence = _matched_cues(text, tokens)
    words = frozenset(tokens)
    if not evidence[COMPLAINT] and not evidence[QUESTION]:
        # (in a question, "could not find it in the docs" is what the customer tried)
        evidence[COMPLAINT].extend(_negated_outcomes(text, words))
    written = PRIVATE_MESSAGE.search(text) if not PRIVATE_MESSAGE_WORDS.isdisjoint(words) else None
    if written:
        evidence[QUESTION].append(written.group(0).lower())
    scores = {intent: WEIGHTS[intent] * len(cues) for intent, cues in evidence.items()}
    _customer_context(text, words, evidence, scores, sentiment, negative)
    _customer_question(text, tokens, evidence, scores, sentiment)
    if sentiment is not None:
        if negative and not scores[COMPLAINT]:
            _negative_complaint(tokens, evidence, scores, drivers)
        elif sentiment >= HAPPY and scores[PRAISE]:
            scores[PRAISE] += 0.5
            # a problem told inside praise was solved ("thanks for getting me home after
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
