import logging
import threading
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.service.model import retrying
from odoo.tools import SQL, plaintext2html, split_every
from odoo.tools.sql import create_index

from ..connectors import ReplyTarget
from ..scoring import priority_score
from ..text_analysis import ANALYZER_VERSION, analyze
from .social_crm_account import PLATFORMS
from .social_crm_routing_rule import INTENTS

_logger = logging.getLogger(__name__)

PROCESS_BATCH = 1000  # mentions analysed and routed per transaction
# the processing queue (served by the partial index of init())
TO_PROCESS = [("state", "=", "new"), ("direction", "=", "in")]
# the columns _analyze() writes with its bulk UPDATE
ANALYSIS_WRITES = [
    "language",
    "language_confidence",
    "sentiment_label",
    "sentiment_score",
    "intent",
    "intent_evidence",
    "is_noise",
    "state",
    "routing_note",
    "analysis_version",
    "analyzed_at",
    "write_date",
    "write_uid",
]


class SocialCrmMention(models.Model):
    """One post, comment or feed entry heard on a social platform."""

    _name = "social.crm.mention"
    _description = "Social Mention"
    _order = "posted_at desc, id desc"
    _rec_names_search = ["text", "author_handle", "title"]
    _check_company_auto = True

    # Indexes are few on purpose: every mention is inserted once and updated twice (analysis,
    # routing), and each index costs on every write. (platform, external_id) is served by the
    # unique constraint, the processing queue by a partial index (see init).
    platform = fields.Selection(PLATFORMS, required=True)
    external_id = fields.Char("External ID", required=True, readonly=True)
    account_id = fields.Many2one(
        "social.crm.account", required=True, ondelete="restrict", index=True, check_company=True
    )
    stream_id = fields.Many2one("social.crm.stream", ondelete="set null", index="btree_not_null")
    # company_id and partner_id follow the account and the author. They are computed fields
    # rather than related ones so that ingestion can give their values to create(): a related
    # field would be filled by an UPDATE of every new row, a precomputed one by a virtual
    # record per row. Shown read-only in the views.
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, precompute=True, readonly=False
    )
    url = fields.Char("URL", readonly=True)
    title = fields.Char(readonly=True)
    text = fields.Text(readonly=True)
    posted_at = fields.Datetime(index=True, readonly=True)
    fetched_at = fields.Datetime(default=fields.Datetime.now, readonly=True)
    # Author, as seen when the mention was fetched
    author_id = fields.Many2one("social.crm.author", string="Author", index=True, ondelete="set null")
    author_handle = fields.Char(readonly=True)
    author_name = fields.Char(readonly=True)
    author_followers = fields.Integer("Followers", readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Contact",
        compute="_compute_partner_id",
        store=True,
        precompute=True,
        readonly=False,
        index="btree_not_null",
    )
    # Conversation and engagement
    kind = fields.Selection(
        [("post", "Post"), ("reply", "Reply"), ("share", "Share / quote")], default="post", readonly=True
    )
    thread_ref = fields.Char("Thread", readonly=True, index="btree_not_null")
    parent_ref = fields.Char("In reply to", readonly=True)
    like_count = fields.Integer("Likes", readonly=True)
    reply_count = fields.Integer("Replies", readonly=True)
    share_count = fields.Integer("Shares", readonly=True)
    # Understanding (filled by the analysis step)
    platform_language = fields.Char(readonly=True, help="Language tag given by the platform, if any.")
    language = fields.Char(help="Detected language (ISO 639-1); 'und' when unknown.")
    sentiment_label = fields.Selection(
        [
            ("positive", "Positive"),
            ("neutral", "Neutral"),
            ("negative", "Negative"),
            ("not_scored", "Not scored"),
        ],
        string="Sentiment",
        help="Sentiment is scored for English only; other languages are 'Not scored'.",
    )
    sentiment_score = fields.Float(
        digits=(3, 3),
        aggregator="avg",
        help="VADER compound score from -1 to 1. Stored only for scored mentions "
        "(NULL otherwise, so averages ignore unscored mentions).",
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("analysed", "Analysed"),
            ("routed", "Routed"),
            ("ignored", "Ignored"),
        ],
        default="new",
        required=True,
    )
    language_confidence = fields.Float(digits=(3, 4), readonly=True)
    intent = fields.Selection(INTENTS, readonly=True)
    intent_evidence = fields.Char("Why this intent", readonly=True)
    is_noise = fields.Boolean("Noise", readonly=True)
    analysis_version = fields.Char(readonly=True)
    analyzed_at = fields.Datetime(readonly=True)
    influence = fields.Integer(related="author_id.influence_score", string="Influence")
    # Routing
    direction = fields.Selection([("in", "Received"), ("out", "Our reply")], default="in", required=True)
    routing_rule_id = fields.Many2one("social.crm.routing.rule", readonly=True, ondelete="set null")
    routing_note = fields.Char(readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", index="btree_not_null", ondelete="set null")
    user_id = fields.Many2one("res.users", "Assigned to", domain=[("share", "=", False)], index="btree_not_null")
    lead_id = fields.Many2one("crm.lead", index="btree_not_null", ondelete="set null")
    # kept for replies and audits; not prefetched with the other fields (it is the largest column)
    raw_payload = fields.Json(readonly=True, prefetch=False, groups="social_crm.group_social_crm_manager")

    _sql_constraints = [
        (
            "platform_external_id_unique",
            "unique(platform, external_id)",
            "This mention was already stored.",
        ),
    ]

    def init(self):
        # the processing queue: only the mentions still to process, so that the cron's
        # "next batch" stays an index scan however large the table grows
        create_index(
            self.env.cr,
            "social_crm_mention_to_process_index",
            self._table,
            ["id"],
            where="state = 'new' AND direction = 'in'",
        )

    @api.depends("account_id.company_id")
    def _compute_company_id(self):
        for mention in self:
            mention.company_id = mention.account_id.company_id

    @api.depends("author_id.partner_id")
    def _compute_partner_id(self):
        for mention in self:
            mention.partner_id = mention.author_id.partner_id

    @api.depends("author_handle", "author_name", "text", "title")
    def _compute_display_name(self):
        for mention in self:
            who = mention.author_handle or mention.author_name or "?"
            snippet = (mention.title or mention.text or "").replace("\n", " ")
            mention.display_name = f"{who}: {snippet[:60]}"

    @api.model
    def _action_list(self, domain):
        """The mentions action restricted to ``domain`` (for smart buttons);
        the default "Not ignored" filter is dropped so the count matches."""
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_crm_mention_action")
        action.update(domain=domain, context={})
        return action

    def action_open_url(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.url, "target": "new"}

    def action_ignore(self):
        self.write({"state": "ignored"})

    def action_process(self):
        """Analyse and route these mentions now (normally done by the cron)."""
        self._process()

    def action_reanalyse(self):
        """Run the analysis again (e.g. after changing the expected languages)."""
        self._analyze()

    # -------------------------------------------------------------- processing

    @api.model
    def _cron_process_mentions(self):
        """Scheduled action: analyse, identify and route new mentions in batches."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)

        def process_batch():
            mentions = self.search(TO_PROCESS, limit=PROCESS_BATCH, order="id")
            mentions._process()
            return len(mentions)

        # The pull cron may refresh the same authors at the same time: on such a
        # concurrent update the batch is rolled back and processed again (then committed).
        done = retrying(process_batch, self.env) if auto_commit else process_batch()
        if done:
            self.env["ir.cron"]._notify_progress(done=done, remaining=self.search_count(TO_PROCESS))

    @api.model
    def _process_new(self):
        """Process every new mention at once (demo data, tests, shell)."""
        self.search(TO_PROCESS)._process()

    def _process(self):
        """Analysis, identity resolution, influence, routing."""
        # what routing says of a mention no rule matches, written with the analysis:
        # most mentions then need no second write
        self._analyze(routing_note=self.env._("No routing rule matched"))
        authors = self.author_id
        authors._resolve_partners()
        authors._update_influence()
        self._route()
        self._award_advocacy()

    def _analyze(self, routing_note=None):
        """Analyse the texts and store the results with one UPDATE per batch.

        The analysis fields have no dependants and no tracking, so a bulk
        UPDATE is safe; it is what keeps the cron close to the speed of a plain
        insert. "Not scored" stays NULL (the ORM would write 0.0 for False).
        ``routing_note``, if given, is stored on the mentions still to route."""
        if not self:
            return
        self.flush_model()
        by_company = defaultdict(list)
        for mention in self:
            by_company[mention.company_id].append(mention)
        now = fields.Datetime.now()
        rows = []
        for company, mentions in by_company.items():
            languages = company._social_crm_language_codes()
            for mention in mentions:
                text = mention.text or ""
                if mention.title and mention.title not in text:
                    text = f"{mention.title}\n{text}"
                result = analyze(text, languages, mention.platform_language)
                rows.append(
                    SQL(
                        "(%s::int, %s::varchar, %s::numeric, %s::varchar, %s::numeric, %s::varchar, "
                        "%s::varchar, %s::bool, %s::varchar)",
                        mention.id,
                        result.language.code,
                        result.language.confidence,
                        result.sentiment.label,
                        result.sentiment.compound if result.sentiment.scored else None,
                        result.intent.intent,
                        result.intent.explanation()[:250],
                        result.noise,
                        "analysed" if mention.state == "new" else mention.state,
                    )
                )
        for chunk in split_every(1000, rows):
            self.env.cr.execute(
                SQL(
                    """UPDATE social_crm_mention AS m
                      SET language = v.language, language_confidence = v.confidence,
                          sentiment_label = v.label, sentiment_score = v.score, intent = v.intent,
                          intent_evidence = v.evidence, is_noise = v.noise, state = v.state,
                          routing_note = CASE WHEN m.state = 'new' THEN %s ELSE m.routing_note END,
                          analysis_version = %s, analyzed_at = %s, write_date = %s, write_uid = %s
                     FROM (VALUES %s) AS v(id, language, confidence, label, score, intent, evidence, noise, state)
                    WHERE m.id = v.id""",
                    routing_note,
                    ANALYZER_VERSION,
                    now,
                    now,
                    self.env.uid,
                    SQL(", ").join(chunk),
                )
            )
        # only what the UPDATE wrote: the texts, authors... stay in cache for routing
        self.invalidate_recordset(ANALYSIS_WRITES)

    def _route(self):
        """Apply the first matching routing rule to each analysed mention."""
        first_rule = self.env["social.crm.routing.rule"].search([])._matcher()
        decisions = defaultdict(lambda: self.browse())
        to_route = self.filtered(lambda m: m.direction == "in" and m.state == "analysed")
        # the conversation comes first: an answer to a post of an open ticket (or a
        # follow-up of its author) joins it, whatever the rules would do with it
        to_route -= self.env["helpdesk.ticket"]._social_route_conversations(to_route)
        for mention in to_route:
            decisions[first_rule(mention)] |= mention
        tickets = defaultdict(lambda: self.browse())
        for rule, mentions in decisions.items():
            if not rule:
                continue  # the note was written with the analysis (see _process)
            if rule.action == "ignore":
                mentions.write({"state": "ignored", "routing_rule_id": rule.id, "routing_note": rule.name})
            elif rule.action == "keep":
                mentions.write({"routing_rule_id": rule.id, "routing_note": rule.name})
            elif rule.action == "ticket":
                tickets[rule] |= mentions
            elif rule.action == "lead":
                mentions._route_to_leads(rule)
        if tickets:
            self._route_to_tickets(tickets)

    def _route_to_tickets(self, mentions_by_rule):
        """One ticket per conversation (the grouping belongs to helpdesk.ticket;
        _route continued the open conversations already)."""
        return self.env["helpdesk.ticket"]._social_route_mentions(mentions_by_rule, conversations=False)

    @api.model
    def _route_groups(self, Target, joined, new_groups, rule_of):
        """Settle grouped mentions on tickets or leads (``Target``): each new group
        gets a record made from its first mention, every mention is marked routed
        to its record, and the others are logged on it as one note per record."""
        to_log = {}
        if new_groups:
            firsts = [group[0] for group in new_groups.values()]
            created = Target._social_create_from_mentions(firsts, [rule_of[m] for m in firsts])
            for record, group in zip(created, new_groups.values(), strict=True):
                group._set_routed(rule_of[group[0]], record)
                if len(group) > 1:
                    to_log[record] = group[1:]
        for record, group in joined.items():
            group._set_routed(rule_of[group[0]], record)
            to_log[record] = group
        Target._social_log_mentions(to_log)

    def _thread_key(self):
        self.ensure_one()
        return f"{self.platform}:{self.thread_ref or self.external_id}"

    def _customer_value(self, cache=None):
        """Expected revenue of the author's company across its leads and deals."""
        partner = self.partner_id.commercial_partner_id
        if not partner:
            return 0.0
        if cache is not None and partner.id in cache:
            return cache[partner.id]
        [[total]] = (
            self.env["crm.lead"]
            .sudo()
            ._read_group(
                [("partner_id", "child_of", partner.id), ("probability", ">", 0)], [], ["expected_revenue:sum"]
            )
        )
        if cache is not None:
            cache[partner.id] = total or 0.0
        return total or 0.0

    def _compute_ticket_priority(self, value_cache=None, **extra):
        """``extra``: keyword arguments of ``priority_score`` (e.g. ``expected_compound``)."""
        self.ensure_one()
        compound = self.sentiment_score if self.sentiment_label not in (False, "not_scored") else None
        return priority_score(
            text=f"{self.title or ''} {self.text or ''}",
            compound=compound,
            intent=self.intent or "other",
            influence=self.author_id.influence_score,
            customer_value=self._customer_value(value_cache),
            **extra,
        )

    def _route_to_leads(self, rule):
        """One open lead per author: join the author's open lead (a note on it),
        create the missing leads in one batch."""
        Lead = self.env["crm.lead"].sudo()
        mentions = self.sorted("id")
        open_by_author = {}
        if mentions.author_id:
            for lead in Lead.search(
                [("social_author_id", "in", mentions.author_id.ids), ("active", "=", True), ("probability", "<", 100)],
                order="id desc",
            ):
                open_by_author.setdefault(lead.social_author_id, lead)
        joined = defaultdict(lambda: self.browse())  # existing lead -> mentions
        new_groups = {}  # author (or the mention itself when anonymous) -> mentions of a new lead
        for mention in mentions:
            lead = open_by_author.get(mention.author_id) if mention.author_id else None
            if lead:
                joined[lead] |= mention
                continue
            key = mention.author_id or mention
            new_groups[key] = new_groups.get(key, self.browse()) | mention
        self._route_groups(Lead, joined, new_groups, dict.fromkeys(mentions, rule))

    def _set_routed(self, rule, record):
        """Routed by ``rule`` to ``record``, a helpdesk ticket or a CRM lead."""
        link = {"helpdesk.ticket": "ticket_id", "crm.lead": "lead_id"}[record._name]
        self.write(
            {"state": "routed", "routing_rule_id": rule.id, "routing_note": record.display_name, link: record.id}
        )

    def _platform_label(self):
        self.ensure_one()
        return dict(self._fields["platform"].selection).get(self.platform, self.platform)

    def _social_text_html(self):
        """The mention's own words as safe HTML: paragraphs and line breaks kept, links clickable."""
        self.ensure_one()
        return plaintext2html(self.text or self.title or "")

    def _social_html(self):
        """The mention as safe HTML, who, where and when, then the words: lead
        descriptions, chatter notes. No <blockquote>: Odoo takes it for a quoted
        e-mail and folds it away under "Read more" in the chatter."""
        self.ensure_one()
        platform = self._platform_label()
        who = self.author_name or self.author_handle or "?"
        link = (
            Markup('<a href="%s" target="_blank" rel="noopener">%s</a>') % (self.url, platform)
            if self.url
            else platform
        )
        return Markup("<p><b>%s</b> · %s · %s</p>%s") % (
            who,
            link,
            fields.Datetime.to_string(self.posted_at) or "",
            self._social_text_html(),
        )

    @api.model
    def _social_log_notes(self, mentions_by_record, title):
        """Log the mentions of each record (all of one model) on it as one note,
        in one batch (no notification round: they are notes)."""
        bodies = {
            record.id: Markup("<p><b>%s</b></p>%s") % (title, Markup("").join(m._social_html() for m in mentions))
            for record, mentions in mentions_by_record.items()
        }
        if bodies:
            records = next(iter(mentions_by_record))
            records.browse(list(bodies))._message_log_batch(bodies, message_type="comment")

    @api.model
    def _trigger_processing(self):
        """Have the processing cron run soon (new mentions were stored)."""
        self.env.ref("social_crm.ir_cron_process_mentions").sudo()._trigger()

    def _advocacy_behaviours(self):
        """What advocacy this mention shows: a review, a positive mention, a
        share, or an answer to another customer's question."""
        self.ensure_one()
        from .social_crm_advocacy_activity import REVIEW

        if self.intent == "complaint" or self.sentiment_label == "negative":
            return []
        positive = self.intent == "praise" or self.sentiment_label == "positive"
        behaviours = []
        if positive:
            behaviours.append("review" if REVIEW.search(self.text or "") else "positive_mention")
        if self.kind == "share":
            behaviours.append("share")
        if self.kind == "reply" and self.parent_ref:
            parent = self.search([("platform", "=", self.platform), ("external_id", "=", self.parent_ref)], limit=1)
            if parent.intent == "question" and parent.author_id and parent.author_id != self.author_id:
                behaviours.append("answer")
        return behaviours

    def _award_advocacy(self):
        """Hook for advocacy programs (see social_crm_advocacy_activity)."""
        return self.env["social.crm.advocacy.activity"]._award_from_mentions(self)

    def _reply_target(self):
        self.ensure_one()
        return ReplyTarget(
            external_id=self.external_id,
            url=self.url or "",
            author_handle=self.author_handle or "",
            thread_id=self.thread_ref or "",
            parent_id=self.parent_ref or "",
            raw=self.sudo().raw_payload or {},
        )

    # --------------------------------------------------------------- ingestion

    @api.model
    def _ingest(self, stream, mentions, account=None):
        """Store connector mentions for ``stream`` (or, for webhook deliveries,
        for ``account`` with no stream); known ones are skipped.

        Idempotent: the (platform, external id) key makes a re-run a no-op.
        Returns the created records.
        """
        account = account or stream.account_id
        platform = account.platform
        fresh = {}
        for mention in mentions:
            if mention.external_id and mention.external_id not in fresh:
                fresh[mention.external_id] = mention
        if not fresh:
            return self.browse()
        known = self.with_context(active_test=False).search_fetch(
            [("platform", "=", platform), ("external_id", "in", list(fresh))], ["external_id"]
        )
        for external_id in known.mapped("external_id"):
            fresh.pop(external_id, None)
        if not fresh:
            return self.browse()
        authors = self.env["social.crm.author"].sudo()._find_or_create(platform, [m.author for m in fresh.values()])
        return self.create([self._prepare_vals(stream, m, authors.get(m.author.key), account) for m in fresh.values()])

    @api.model
    def _prepare_vals(self, stream, mention, author, account=None):
        account = account or stream.account_id
        posted_at = mention.posted_at
        return {
            "platform": account.platform,
            "external_id": mention.external_id,
            "account_id": account.id,
            # given so that create() need not compute them
            "company_id": account.company_id.id,
            "partner_id": author.partner_id.id if author else False,
            "stream_id": stream.id or False,
            "url": mention.url,
            "title": mention.title,
            "text": mention.text,
            "posted_at": posted_at.replace(tzinfo=None) if posted_at else fields.Datetime.now(),
            "author_id": author.id if author else False,
            "author_handle": mention.author.handle,
            "author_name": mention.author.name,
            "author_followers": mention.author.followers or 0,
            "thread_ref": mention.thread_id,
            "parent_ref": mention.parent_id,
            "like_count": mention.like_count or 0,
            "reply_count": mention.reply_count or 0,
            "share_count": mention.share_count or 0,
            "platform_language": mention.language,
            "kind": mention.kind if mention.kind in ("post", "reply", "share") else "post",
            "raw_payload": mention.raw,
        }
