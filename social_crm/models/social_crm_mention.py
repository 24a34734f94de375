import json
import logging
import re
import textwrap
import threading
from collections import defaultdict
from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, retrying
from odoo.tools import SQL, plaintext2html, split_every
from odoo.tools.safe_eval import safe_eval
from odoo.tools.sql import create_index

from ..connectors import ReplyTarget
from ..connectors.records import http_url, sanitize_mention
from ..connectors.redaction import redact
from ..scoring import priority_score
from ..text_analysis import ANALYZER_VERSION, analyze
from ..text_analysis.cleaning import HANDLE
from . import config_params
from .social_crm_account import platform_labels, platform_selection
from .social_crm_routing_rule import INTENTS
from .time_limit import TimeLimitExceeded, Watchdog

_logger = logging.getLogger(__name__)

PREVIEW_LENGTH = 160  # characters of a mention shown in a list row; the form shows it all
TITLE_LENGTH = 200  # characters of the text in a lead's name when the mention has no title of its own
PROCESS_BATCH = 1000  # mentions analysed and routed per transaction (default of the system parameter)
RAW_PAYLOAD_DAYS = 90  # days a raw payload is kept whole (default of the system parameter)
RAW_PAYLOAD_BATCH = 1000  # payloads trimmed per transaction (default of the system parameter)
# A mention whose processing was started this many times without finishing (the
# worker was killed: too slow, out of memory) is marked as failed and skipped.
MAX_PROCESS_ATTEMPTS = 3
# streams whose posts are addressed to us: our mentions, and the comments on our posts
ADDRESSED_MODES = ("mentions", "comments")
# seconds one text may take to analyse (system parameter, 0: no limit)
ANALYSIS_TIMEOUT_PARAM = "social_crm.analysis_timeout"
DEFAULT_ANALYSIS_TIMEOUT = 10.0
# what storing one bad item may raise: it is skipped, the others are stored
# (concurrency errors are not among them: the page is then read again)
BAD_ITEM_ERRORS = (psycopg2.DataError, psycopg2.IntegrityError, ValueError, TypeError, ValidationError, RecursionError)
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
    # the analyser's own verdict and what drove it (social_crm_mention_analysis.py); staff
    # corrections are kept and stay the effective sentiment and intent
    "analysis_sentiment_label",
    "analysis_sentiment_score",
    "analysis_intent",
    "sentiment_drivers",
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
    platform = fields.Selection(platform_selection, required=True)
    external_id = fields.Char("External ID", required=True, readonly=True)
    account_id = fields.Many2one(
        "social.crm.account", required=True, ondelete="restrict", index=True, check_company=True
    )
    stream_id = fields.Many2one("social.crm.stream", ondelete="set null", index="btree_not_null", check_company=True)
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
    author_id = fields.Many2one(
        "social.crm.author", string="Author", index=True, ondelete="set null", check_company=True
    )
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
        check_company=True,
    )
    # Conversation and engagement
    kind = fields.Selection(
        [("post", "Post"), ("reply", "Reply"), ("share", "Share / quote")], default="post", readonly=True
    )
    addressed = fields.Boolean(
        "Addressed to us",
        readonly=True,
        help="The post mentions or answers one of our accounts, or comments on our posts; not one "
        "a keyword search found.",
    )
    thread_ref = fields.Char("Thread", readonly=True, index="btree_not_null")
    parent_ref = fields.Char("In reply to", readonly=True)
    # Mastodon replies name their parent by its id on the account's instance, not by the
    # federation-wide URI the mention is stored under: the key a reply may use for this post
    local_ref = fields.Char(
        "Key on the account's server",
        compute="_compute_local_ref",
        store=True,
        readonly=True,
        index="btree_not_null",
        copy=False,
    )
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
        help="Scored in English, German, French, Spanish, Italian, Portuguese and Dutch; other languages "
        "are 'Not scored'. A staff review replaces the analysed sentiment.",
    )
    sentiment_score = fields.Float(
        digits=(3, 3),
        aggregator="avg",
        help="Compound score from -1 to 1 (VADER's scale). Stored only for scored mentions "
        "(NULL otherwise, so averages ignore unscored mentions).",
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("analysed", "Analysed"),
            ("routed", "Routed"),
            ("ignored", "Ignored"),
            ("error", "Processing failed"),
        ],
        default="new",
        required=True,
    )
    processing_error = fields.Char(
        readonly=True, copy=False, help="Why analysing or routing this mention failed (it was skipped)."
    )
    process_attempts = fields.Integer(
        readonly=True, copy=False, help="Processing runs that took this mention (a crashed run leaves it counted)."
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
    routing_rule_id = fields.Many2one("social.crm.routing.rule", readonly=True, ondelete="set null", check_company=True)
    routing_note = fields.Char(readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", index="btree_not_null", ondelete="set null", check_company=True)
    user_id = fields.Many2one("res.users", "Assigned to", domain=[("share", "=", False)], index="btree_not_null")
    lead_id = fields.Many2one("crm.lead", index="btree_not_null", ondelete="set null", check_company=True)
    # kept for replies and audits; not prefetched with the other fields (it is the largest column);
    # after ``social_crm.raw_payload_days`` only what replies read is kept (see _gc_raw_payloads)
    raw_payload = fields.Json(readonly=True, prefetch=False, groups="social_crm.group_social_crm_manager")
    raw_payload_trimmed = fields.Boolean(
        readonly=True, copy=False, help="The raw payload is old: only what replies need of it was kept."
    )

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
        url = http_url(self.url)
        if not url:
            raise UserError(self.env._("This mention has no web address."))
        return {"type": "ir.actions.act_url", "url": url, "target": "new"}

    def action_ignore(self):
        self.write({"state": "ignored"})

    def action_process(self):
        """Analyse and route these mentions now (normally done by the cron);
        a mention whose processing failed is tried again."""
        # the processing writes with SQL and sudo: check the rights first
        self.check_access("write")
        self.filtered(lambda m: m.state == "error").write({"state": "new", "processing_error": False})
        self._process()

    def action_reanalyse(self):
        """Run the analysis again (e.g. after changing the expected languages)."""
        self.check_access("write")
        self._analyze()

    # -------------------------------------------------------------- processing

    @api.model
    def _cron_process_mentions(self):
        """Scheduled action: analyse, identify and route new mentions in batches.

        One bad mention never blocks the others: its failure is recorded on it
        (state "Processing failed") and the batch goes on. A batch the worker
        could not finish (killed for time or memory) leaves its mentions counted
        in ``process_attempts``: they are then processed one at a time, so that
        only the culprit stays behind, and after ``MAX_PROCESS_ATTEMPTS`` it is
        marked as failed instead of coming first again."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        size = config_params.int_param(self.env, config_params.PROCESS_BATCH, PROCESS_BATCH, minimum=1)
        batch = self.search_fetch(TO_PROCESS, ["process_attempts"], limit=size, order="id")
        if not batch:
            return
        # the least tried first: a mention that keeps killing the worker does not come first again
        suspects = batch.filtered("process_attempts").sorted(lambda m: (m.process_attempts, m.id))
        fresh = batch - suspects
        if fresh:
            fresh._count_attempt(auto_commit)
            # The pull cron may refresh the same authors at the same time: on such a
            # concurrent update the batch is rolled back and processed again (then committed).
            if auto_commit:
                retrying(fresh._process, self.env)
            else:
                fresh._process()
        for mention in suspects:
            mention._process_alone(auto_commit)
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=self.search_count(TO_PROCESS))

    def _count_attempt(self, auto_commit):
        """Count one more processing run of these mentions, committed before the
        run (it must survive the run being killed)."""
        self.env.cr.execute(
            SQL(
                "UPDATE social_crm_mention SET process_attempts = COALESCE(process_attempts, 0) + 1 WHERE id IN %s",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["process_attempts"])
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _process_alone(self, auto_commit):
        """Process one mention a previous run did not finish, in its own transaction."""
        self.ensure_one()
        if self.process_attempts >= MAX_PROCESS_ATTEMPTS:
            self._mark_failed(
                {
                    self: self.env._(
                        "Processing did not finish %(count)s times (too slow or crashing): skipped.",
                        count=self.process_attempts,
                    )
                }
            )
        else:
            self._count_attempt(auto_commit)
            try:
                with self.env.cr.savepoint():
                    self._process()
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                if not auto_commit:
                    raise
                self.env.cr.rollback()  # tried again on the next run
                return
            except Exception as err:  # this mention only: the others go on
                _logger.exception("Processing social mention %s failed", self.id)
                self._mark_failed({self: self._failure_reason(err)})
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _process_new(self):
        """Process every new mention at once (demo data, tests, shell)."""
        self.search(TO_PROCESS)._process()

    def _process(self):
        """Analysis, identity resolution, influence, routing. A mention that
        fails is marked as failed (with the reason) and skipped."""
        # what routing says of a mention no rule matches, written with the analysis:
        # most mentions then need no second write
        analysed = self._analyze(routing_note=self.env._("No routing rule matched"))
        try:
            with self.env.cr.savepoint():
                analysed._process_analysed()
            return
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception:
            _logger.warning("Processing %d social mentions failed: processing them one by one", len(analysed))
        failed = {}
        for mention in analysed:
            try:
                with self.env.cr.savepoint():
                    mention._process_analysed()
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception as err:  # this mention only: the others go on
                _logger.exception("Routing social mention %s failed", mention.id)
                failed[mention] = self._failure_reason(err)
        self._mark_failed(failed)

    def _process_analysed(self):
        authors = self.author_id
        authors._resolve_partners()
        authors._update_influence()
        self._route()
        self._award_advocacy()

    @api.model
    def _failure_reason(self, error):
        if isinstance(error, TimeLimitExceeded):
            return self.env._("The analysis took too long: skipped.")
        text = redact(str(error)).strip()
        message = text.splitlines()[0][:200] if text else ""
        return f"{type(error).__name__}: {message}" if message else type(error).__name__

    def _mark_failed(self, reasons):
        """Record why each of these mentions failed: they leave the processing queue."""
        for mention, reason in reasons.items():
            _logger.warning("Social mention %s skipped: %s", mention.id, reason)
            mention.write({"state": "error", "processing_error": reason})

    def _analysis_timeout(self):
        value = self.env["ir.config_parameter"].sudo().get_param(ANALYSIS_TIMEOUT_PARAM)
        try:
            return float(value) if value not in (None, "") else DEFAULT_ANALYSIS_TIMEOUT
        except ValueError:
            return DEFAULT_ANALYSIS_TIMEOUT

    def _analyze(self, routing_note=None):
        """Analyse the texts and store the results with one UPDATE per batch;
        return the mentions analysed (the others are marked as failed).

        The analysis fields have no dependants and no tracking, so a bulk
        UPDATE is safe; it is what keeps the cron close to the speed of a plain
        insert. "Not scored" stays NULL (the ORM would write 0.0 for False).
        ``routing_note``, if given, is stored on the mentions still to route.
        A text that makes the analyzer fail, or take longer than the analysis
        timeout, fails its mention only."""
        if not self:
            return self
        self.flush_model()
        by_company = defaultdict(list)
        for mention in self:
            by_company[mention.company_id].append(mention)
        now = fields.Datetime.now()
        rows = []
        failed = {}
        with Watchdog(self._analysis_timeout()) as watchdog:
            for company, mentions in by_company.items():
                languages = company._social_crm_language_codes()
                for mention in mentions:
                    text = mention.text or ""
                    if mention.title and mention.title not in text:
                        text = f"{mention.title}\n{text}"
                    try:
                        with watchdog.step():
                            result = analyze(text, languages, mention.platform_language)
                        row = SQL(
                            "(%s::int, %s::varchar, %s::numeric, %s::varchar, %s::numeric, %s::varchar, "
                            "%s::varchar, %s::bool, %s::varchar, %s::varchar)",
                            mention.id,
                            result.language.code,
                            result.language.confidence,
                            result.sentiment.label,
                            result.sentiment.compound if result.sentiment.scored else None,
                            result.intent.intent,
                            result.intent.explanation()[:250],
                            result.noise,
                            "analysed" if mention.state == "new" else mention.state,
                            result.sentiment.explanation()[:250] or None,
                        )
                    except Exception as err:  # this mention only: the others go on
                        if not isinstance(err, TimeLimitExceeded):
                            _logger.exception("Analysing social mention %s failed", mention.id)
                        failed[mention] = self._failure_reason(err)
                        continue
                    rows.append(row)
        for chunk in split_every(1000, rows):
            self.env.cr.execute(
                SQL(
                    """UPDATE social_crm_mention AS m
                      SET language = v.language, language_confidence = v.confidence,
                          sentiment_label = COALESCE(m.staff_sentiment, v.label),
                          sentiment_score = %s,
                          intent = COALESCE(m.staff_intent, v.intent),
                          analysis_sentiment_label = v.label, analysis_sentiment_score = v.score,
                          analysis_intent = v.intent, sentiment_drivers = v.drivers,
                          intent_evidence = v.evidence, is_noise = v.noise, state = v.state,
                          routing_note = CASE WHEN m.state = 'new' THEN %s ELSE m.routing_note END,
                          analysis_version = %s, analyzed_at = %s, write_date = %s, write_uid = %s
                     FROM (VALUES %s) AS v(id, language, confidence, label, score, intent, evidence, noise, state,
                                           drivers)
                    WHERE m.id = v.id""",
                    self._corrected_score_sql(),
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
        failed_records = self.browse([m.id for m in failed])
        self.browse()._mark_failed(failed)
        return self - failed_records

    def _route(self):
        """Apply the first matching routing rule to each analysed mention (the
        routing belongs to the rules, see ``social.crm.routing.rule._route_mentions``)."""
        return self.env["social.crm.routing.rule"]._route_mentions(self)

    def _route_to_leads(self, rule):
        """One open lead per author (the grouping belongs to crm.lead)."""
        return self.env["crm.lead"]._social_route_mentions(self, rule)

    @api.autovacuum
    def _gc_raw_payloads(self):
        """Drop the raw payloads stored more than ``social_crm.raw_payload_days``
        days ago (0: keep them), but for what replying reads from them (each
        connector's ``reply_raw``): replies still work, on every platform, and
        ``local_ref`` (derived from the payload) stays as it was.

        Batched, each batch committed when not testing; returns how many
        payloads were trimmed."""
        days = config_params.int_param(self.env, config_params.RAW_PAYLOAD_DAYS, RAW_PAYLOAD_DAYS)
        if not days:
            return 0
        size = config_params.int_param(self.env, config_params.RAW_PAYLOAD_BATCH, RAW_PAYLOAD_BATCH, minimum=1)
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        before = fields.Datetime.now() - timedelta(days=days)
        self.flush_model(["raw_payload", "raw_payload_trimmed", "account_id"])
        connectors = {}
        done = 0
        while True:
            # a sequential scan once a day: no index is worth its writes on every ingestion
            self.env.cr.execute(
                SQL(
                    """SELECT id, account_id, raw_payload FROM social_crm_mention
                        WHERE create_date < %s AND raw_payload IS NOT NULL AND raw_payload_trimmed IS NOT TRUE
                     ORDER BY id LIMIT %s""",
                    before,
                    size,
                )
            )
            rows = self.env.cr.fetchall()
            if not rows:
                break
            kept = []
            for mention_id, account_id, raw in rows:
                if account_id not in connectors:
                    account = self.env["social.crm.account"].sudo().browse(account_id).exists()
                    connectors[account_id] = account._get_connector() if account else None
                connector = connectors[account_id]
                part = connector.reply_raw(raw) if connector else {}
                kept.append((mention_id, json.dumps(part) if part else None))
            # in SQL: the ORM would compute local_ref again for nothing (it reads what is kept)
            self.env.cr.execute(
                SQL(
                    """UPDATE social_crm_mention AS m
                          SET raw_payload = v.raw, raw_payload_trimmed = TRUE
                         FROM (VALUES %s) AS v(id, raw)
                        WHERE m.id = v.id""",
                    SQL(", ").join(SQL("(%s, %s::jsonb)", mention_id, raw) for mention_id, raw in kept),
                )
            )
            done += len(rows)
            self.invalidate_model(["raw_payload", "raw_payload_trimmed"])
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if len(rows) < size:
                break
        if done:
            _logger.info("Social CRM: raw payloads of %d mention(s) older than %d days trimmed", done, days)
        return done

    @api.depends("raw_payload")
    def _compute_local_ref(self):
        connectors = {}
        for mention in self.sudo():
            account = mention.account_id
            if account not in connectors:
                connectors[account] = account._get_connector() if account else None
            connector = connectors[account]
            if connector is None or not connector.local_refs:
                mention.local_ref = False
            else:
                mention.local_ref = connector.local_ref(mention.raw_payload) or False

    @api.model
    def _link_conversations(self, platform, vals_list):
        """Put new mentions of ``platform`` in their conversation (``vals_list``, in place).

        A reference to a stored post by its key on the account's server
        (``local_ref``) becomes that post's external id; a reply whose root the
        platform did not give takes the root of its parent, stored or in the
        same page. Grouping (tickets, leads) then only compares external ids."""
        refs = {vals.get(key) for vals in vals_list for key in ("parent_ref", "thread_ref")} - {None, False, ""}
        if not refs:
            return
        stored = self.with_context(active_test=False).search_fetch(
            [("platform", "=", platform), "|", ("external_id", "in", list(refs)), ("local_ref", "in", list(refs))],
            ["external_id", "local_ref", "thread_ref", "direction"],
        )
        roots = {}  # a stored post's external id and local key -> (its external id, its root)
        ours = set()  # the keys of our own posts (our replies): an answer to one is addressed to us
        for post in stored:
            roots[post.external_id] = (post.external_id, post.thread_ref or post.external_id)
            if post.local_ref:
                roots[post.local_ref] = roots[post.external_id]
            if post.direction == "out":
                ours.update(filter(None, (post.external_id, post.local_ref)))
        for vals in vals_list:
            if vals.get("parent_ref") in ours:
                vals["addressed"] = True
            if vals.get("parent_ref") in roots:
                vals["parent_ref"] = roots[vals["parent_ref"]][0]
            if vals.get("thread_ref") in roots:
                vals["thread_ref"] = roots[vals["thread_ref"]][1]
        page = {vals["external_id"]: vals for vals in vals_list}
        for vals in vals_list:
            if vals.get("parent_ref") and not vals.get("thread_ref"):
                vals["thread_ref"] = self._root_of(vals, page, roots) or vals.get("thread_ref")

    @api.model
    def _root_of(self, vals, page, roots):
        """The root of a new mention's conversation, through its parents in the
        same page up to a stored post or a root; None when the chain breaks."""
        node, seen = vals, set()
        while len(seen) <= len(page):
            if node.get("thread_ref"):
                return node["thread_ref"]
            parent_ref = node.get("parent_ref")
            if not parent_ref:
                return node["external_id"]
            if parent_ref in roots:
                return roots[parent_ref][1]
            if parent_ref not in page or parent_ref in seen:
                return None
            seen.add(parent_ref)
            node = page[parent_ref]
        return None

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
            sentiment_drivers=self._sentiment_reason(),
            **extra,
        )

    def _set_routed(self, rule, record):
        """Routed by ``rule`` to ``record``, a helpdesk ticket or a CRM lead."""
        link = {"helpdesk.ticket": "ticket_id", "crm.lead": "lead_id"}[record._name]
        self.write(
            {"state": "routed", "routing_rule_id": rule.id, "routing_note": record.display_name, link: record.id}
        )

    def _platform_label(self):
        self.ensure_one()
        return platform_labels(self.env).get(self.platform, self.platform)

    def _social_text_html(self):
        """The mention's own words as safe HTML: paragraphs and line breaks kept, links clickable."""
        self.ensure_one()
        return plaintext2html(self.text or self.title or "")

    def _social_summary_values(self):
        """What template mention_summary shows of the mention."""
        self.ensure_one()
        return {
            "who": self.author_name or self.author_handle or "?",
            "url": http_url(self.url),
            "platform": self._platform_label(),
            "posted_at": fields.Datetime.to_string(self.posted_at) or "",
            "text": self._social_text_html(),
        }

    def _social_html(self):
        """The mention as safe HTML, who, where and when, then the words: lead
        descriptions (template mention_summary)."""
        self.ensure_one()
        return self.env["ir.qweb"]._render("social_crm.mention_summary", self._social_summary_values())

    @api.model
    def _social_log_notes(self, mentions_by_record, title):
        """Log the mentions of each record (all of one model) on it as one note
        (template mention_note), in one batch (no notification round: they are notes)."""
        QWeb = self.env["ir.qweb"]
        bodies = {
            record.id: QWeb._render(
                "social_crm.mention_note",
                {"title": title, "mentions": [m._social_summary_values() for m in mentions]},
            )
            for record, mentions in mentions_by_record.items()
        }
        if bodies:
            records = next(iter(mentions_by_record))
            records.browse(list(bodies))._message_log_batch(bodies, message_type="comment")

    @api.model
    def _trigger_processing(self):
        """Have the processing cron run soon (new mentions were stored)."""
        self.env.ref("social_crm.ir_cron_process_mentions").sudo()._trigger()

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
        Every value is made storable first (see ``records.sanitize_mention``);
        if the page still fails to store, its items are stored one by one and
        only the bad one is skipped (and logged), so the cursor moves on and no
        valid item is lost. Returns the created records.
        """
        account = account or stream.account_id
        platform = account.platform
        fresh = {}
        for mention in mentions:
            mention = sanitize_mention(mention)
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
        try:
            with self.env.cr.savepoint():
                return self._store(stream, account, list(fresh.values()))
        except BAD_ITEM_ERRORS as err:
            _logger.warning(
                "Storing %d mentions of %s failed (%s): storing them one by one",
                len(fresh),
                account.name,
                type(err).__name__,
            )
        created = self.browse()
        for mention in fresh.values():
            try:
                with self.env.cr.savepoint():
                    created |= self._store(stream, account, [mention])
            except BAD_ITEM_ERRORS as err:
                _logger.warning(
                    "Skipped the %s mention %s of %s: it cannot be stored (%s: %s)",
                    platform,
                    mention.external_id[:100],
                    account.name,
                    type(err).__name__,
                    redact(str(err))[:200],
                )
        return created

    @api.model
    def _store(self, stream, account, mentions):
        """Create ``mentions`` (new ones) with their authors, in the account's company."""
        authors = self.env["social.crm.author"]._find_or_create(
            account.platform, [m.author for m in mentions], account.company_id
        )
        handles = self._our_handles(stream, account)
        vals_list = [self._prepare_vals(stream, m, authors.get(m.author.key), account) for m in mentions]
        for vals in vals_list:
            vals["addressed"] = self._is_addressed(stream, vals, handles)
        self._link_conversations(account.platform, vals_list)
        return self.create(vals_list)

    @api.model
    def _our_handles(self, stream, account):
        """Our handles as posts write them, lower case, without "@": the account's login and the
        handles its stream watches (a Mastodon handle also without its instance)."""
        handles = set()
        for handle in [account.sudo().username or "", *re.split(r"[\s,]+", stream.handles or "")]:
            handle = handle.strip().lstrip("@").lower()
            if handle:
                handles.update({handle, handle.split("@")[0]})
        return frozenset(handles)

    @api.model
    def _is_addressed(self, stream, vals, handles):
        """Whether a new mention is addressed to us: delivered by a webhook (the platform pushes
        what is said to or on our page), heard by a stream of our mentions or of the comments on
        our posts, or a post that names one of our handles (an answer to one of our posts is marked
        by _link_conversations). A post a keyword, hashtag or feed stream found is not, unless it
        names us."""
        if not stream or stream.mode in ADDRESSED_MODES:
            return True
        if not handles or "@" not in (vals.get("text") or ""):
            return False
        named = {match.group(0).lower().lstrip("@").rstrip(".") for match in HANDLE.finditer(vals["text"])}
        return not handles.isdisjoint(named | {handle.split("@")[0] for handle in named})

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

    # ------------------------------------------------------------ lists, previews

    text_preview = fields.Char("Text (preview)", compute="_compute_text_preview")

    @api.depends("title", "text")
    def _compute_text_preview(self):
        for mention in self:
            text = " ".join((mention.text or "").split())
            title = " ".join((mention.title or "").split())
            if title and not text.startswith(title):
                text = f"{title} — {text}" if text else title
            if len(text) > PREVIEW_LENGTH:
                text = text[: PREVIEW_LENGTH - 1].rsplit(" ", 1)[0] + " …"
            mention.text_preview = text

    def _social_lead_title(self):
        """The mention's title, or else the first line of its text: whole up to
        TITLE_LENGTH characters (a title, not the post)."""
        self.ensure_one()
        lines = [line for line in (self.text or "").splitlines() if line.strip()]
        text = " ".join(((self.title or "").strip() or (lines[0] if lines else "")).split())
        return textwrap.shorten(text, TITLE_LENGTH, placeholder=" …")

    @api.model
    def _action_for(self, field, record):
        """The mentions of ``record`` (through ``field``) as a search filter the
        user sees and that survives the browser's Back and a reload: the action
        reads the record from ``active_id``, which the URL keeps."""
        record.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(f"social_crm.social_crm_mention_action_{field}")
        context = safe_eval(action.get("context") or "{}", {"active_id": record.id, "uid": self.env.uid})
        action["context"] = dict(context, active_id=record.id, active_model=record._name)
        return action
