import bisect
import datetime
import logging
import re
import textwrap
import threading
from collections import Counter, defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, plaintext2html, split_every
from odoo.tools.mail import generate_tracking_message_id

from odoo.addons.helpdesk_mgmt.models.helpdesk_ticket import HelpdeskTicket as HelpdeskMgmtTicket

from . import config_params
from . import social_crm_messages as messages

_logger = logging.getLogger(__name__)

SLA_STATUSES = [
    ("on_time", "On time"),
    ("overdue", "Overdue"),
    ("breached", "Breached"),
    ("answered", "Met"),
]
AT_RISK_SHARE = 0.25  # the time left is shown as a warning in the last quarter of a target
# the company's average sentiment of an intent stands for an unknown one once it
# rests on this many scored mentions of the last EXPECTED_DAYS days
EXPECTED_MIN_SAMPLES = 20
EXPECTED_DAYS = 90
REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|aw|sv|antw|fw|fwd|wg|tr|rv|r)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
EARLIEST = datetime.datetime.min
ESCALATION_BATCH = 200  # tickets escalated per transaction (default of the system parameter)


def _conversation_keys(mention):
    """What ties a post to its conversation: the thread, and for a titled post
    the platform gives no thread for (feeds, forums) the subject without its "Re:"."""
    keys = [("thread", mention._thread_key())]
    subject = "" if mention.thread_ref else REPLY_PREFIX.sub("", mention.title or "").strip().lower()
    if subject:
        keys.append(("subject", mention.platform, " ".join(subject.split())))
    return keys


class _Timeline:
    """Posts of a conversation key in time order, for "the latest one before"."""

    __slots__ = ("times", "tickets")

    def __init__(self):
        self.times, self.tickets = [], []

    def add(self, when, ticket):
        index = bisect.bisect_right(self.times, when)
        self.times.insert(index, when)
        self.tickets.insert(index, ticket)

    def latest(self, when):
        """``(time, ticket)`` of the latest post at or before ``when``, or None."""
        index = bisect.bisect_right(self.times, when)
        return (self.times[index - 1], self.tickets[index - 1]) if index else None


def _author_label(mention):
    """Who wrote the post, as the chatter shows an author without a contact."""
    name = mention.author_name or mention.author_handle or "?"
    handle = mention.author_handle
    return f"{name} (@{handle})" if handle and handle != name else name


def _post_values(mention):
    """What the chatter message of a post shows (template ticket_conversation_post)."""
    avatar = mention.author_id.avatar_url or ""
    return {
        # the name is the chatter's author line (the contact, or "Name (@handle)")
        "handle": mention.author_handle or "",
        "avatar_url": avatar if avatar.startswith("https://") else "",
        "platform": mention._platform_label(),
        "url": mention.url if (mention.url or "").startswith(("https://", "http://")) else "",
        "title": mention.title if mention.title and mention.title not in (mention.text or "") else "",
        "text": mention._social_text_html(),
    }


def _duration(delta, env):
    minutes = int(abs(delta.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return env._("%(days)s d %(hours)s h", days=days, hours=hours)
    if hours:
        return env._("%(hours)s h %(minutes)s min", hours=hours, minutes=minutes)
    return env._("%(minutes)s min", minutes=minutes)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    social_mention_id = fields.Many2one("social.crm.mention", "Source mention", readonly=True, index=True)
    social_mention_ids = fields.One2many("social.crm.mention", "ticket_id", string="Social mentions")
    social_thread_key = fields.Char(readonly=True, index=True, copy=False)
    social_platform = fields.Selection(related="social_mention_id.platform", string="Platform")
    social_url = fields.Char(related="social_mention_id.url", string="Post URL")
    social_author_id = fields.Many2one(related="social_mention_id.author_id", string="Social author")
    social_author_name = fields.Char(
        compute="_compute_social_author_name", help="The customer's name on the platform (for saved replies)."
    )
    social_language = fields.Char(related="social_mention_id.language", string="Language")
    social_sentiment_label = fields.Selection(related="social_mention_id.sentiment_label", string="Sentiment")
    social_sentiment_score = fields.Float(related="social_mention_id.sentiment_score", string="Sentiment score")
    social_intent = fields.Selection(related="social_mention_id.intent", string="Intent")
    social_influence = fields.Integer(related="social_mention_id.author_id.influence_score", string="Influence")
    social_priority_score = fields.Integer("Priority score", readonly=True)
    # the reasons as components ({code, params}: scoring.REASON_CODES), rendered in the reader's language
    social_priority_reasons = fields.Json("Priority reasons", readonly=True, copy=False)
    social_priority_explanation = fields.Text("Why this priority", compute="_compute_social_priority_explanation")
    # SLA: the clock starts when the customer posted; the targets are set when the
    # ticket opens and never move (an escalation raises the priority, not the deadline)
    social_sla_start = fields.Datetime("Customer posted at", readonly=True, copy=False)
    social_response_deadline = fields.Datetime("Answer before", readonly=True, copy=False, index=True)
    social_resolution_deadline = fields.Datetime("Resolve before", readonly=True, copy=False)
    social_first_response_at = fields.Datetime("First answer", readonly=True, copy=False)
    social_escalation_level = fields.Integer("Escalations", readonly=True, copy=False)
    social_escalate_at = fields.Datetime("Next escalation", readonly=True, copy=False)
    social_sla_breached = fields.Boolean(
        "SLA breached",
        readonly=True,
        copy=False,
        help="A target was missed: answered late, solved late, or still open past a deadline. Stays set.",
    )
    social_first_response_hours = fields.Float(
        "First response (hours)",
        compute="_compute_social_first_response_hours",
        store=True,
        aggregator="avg",
        digits=(16, 2),
    )
    social_sla_status = fields.Selection(
        SLA_STATUSES,
        compute="_compute_social_sla",
        search="_search_social_sla_status",
        string="SLA",
    )
    social_sla_time_left = fields.Char("Time left", compute="_compute_social_sla")
    social_sla_color = fields.Selection(
        [("success", "On time"), ("warning", "Running out"), ("danger", "Late"), ("muted", "Nothing due")],
        compute="_compute_social_sla",
    )
    social_mention_count = fields.Integer(compute="_compute_social_mention_count")

    @api.depends("social_priority_reasons")
    @api.depends_context("lang")
    def _compute_social_priority_explanation(self):
        for ticket in self:
            reasons = ticket.social_priority_reasons
            ticket.social_priority_explanation = messages.priority_explanation(self.env, reasons) if reasons else False

    @api.depends("social_mention_id.author_name", "social_mention_id.author_handle", "partner_name")
    def _compute_social_author_name(self):
        for ticket in self:
            mention = ticket.social_mention_id
            ticket.social_author_name = mention.author_name or mention.author_handle or ticket.partner_name or ""

    def _social_sla_pending(self):
        """``(deadline, window start)`` of the next target to meet, or ``(False, False)``."""
        self.ensure_one()
        start = self.social_sla_start or self.create_date
        if not self.social_response_deadline:
            return False, False
        if not self.social_first_response_at:
            return self.social_response_deadline, start
        if self.social_resolution_deadline and not self.closed:
            return self.social_resolution_deadline, start
        return False, False

    @api.depends(
        "social_response_deadline",
        "social_resolution_deadline",
        "social_first_response_at",
        "social_sla_breached",
        "stage_id",
    )
    def _compute_social_sla(self):
        now = fields.Datetime.now()
        for ticket in self:
            due, start = ticket._social_sla_pending()
            if not ticket.social_response_deadline:
                status, left, color = False, False, False
            elif due and due < now:
                status, color = "overdue", "danger"
                left = self.env._("%(time)s late", time=_duration(now - due, self.env))
            elif due:
                status = "breached" if ticket.social_sla_breached else "on_time"
                window = (due - start).total_seconds() if start else 0
                running_out = window > 0 and (due - now).total_seconds() < AT_RISK_SHARE * window
                color = "danger" if ticket.social_sla_breached else "warning" if running_out else "success"
                left = (
                    self.env._("answer in %(time)s", time=_duration(due - now, self.env))
                    if not ticket.social_first_response_at
                    else self.env._("solve in %(time)s", time=_duration(due - now, self.env))
                )
            else:
                status = "breached" if ticket.social_sla_breached else "answered"
                color = "danger" if ticket.social_sla_breached else "muted"
                left = False
            ticket.social_sla_status = status
            ticket.social_sla_time_left = left
            ticket.social_sla_color = color

    @api.model
    def _social_sla_domains(self):
        """Domains of the SLA statuses, for search (the status depends on the time)."""
        now = fields.Datetime.now()
        response_pending = [("social_response_deadline", "!=", False), ("social_first_response_at", "=", False)]
        resolution_pending = [
            ("social_first_response_at", "!=", False),
            ("social_resolution_deadline", "!=", False),
            ("stage_id.closed", "=", False),
        ]
        overdue = expression.OR(
            [
                response_pending + [("social_response_deadline", "<", now)],
                resolution_pending + [("social_resolution_deadline", "<", now)],
            ]
        )
        not_overdue = ["!"] + expression.normalize_domain(overdue)
        pending = expression.OR([response_pending, resolution_pending])
        not_pending = ["!"] + expression.normalize_domain(pending)
        return {
            "overdue": overdue,
            "breached": expression.AND([not_overdue, [("social_sla_breached", "=", True)]]),
            "on_time": expression.AND([pending, not_overdue, [("social_sla_breached", "=", False)]]),
            "answered": expression.AND(
                [[("social_response_deadline", "!=", False)], not_pending, [("social_sla_breached", "=", False)]]
            ),
        }

    def _search_social_sla_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("The SLA can only be searched by status."))
        values = [value] if isinstance(value, str) or not value else list(value)
        domains = self._social_sla_domains()
        domain = expression.OR([domains[v] for v in values if v in domains]) or expression.FALSE_DOMAIN
        if operator in ("!=", "not in"):
            domain = ["!"] + expression.normalize_domain(domain)
        return domain

    @api.depends("social_first_response_at", "social_sla_start", "create_date")
    def _compute_social_first_response_hours(self):
        for ticket in self:
            start = ticket.social_sla_start or ticket.create_date
            if ticket.social_first_response_at and start:
                delta = ticket.social_first_response_at - start
                ticket.social_first_response_hours = max(0.0, delta.total_seconds() / 3600)
            else:
                ticket.social_first_response_hours = 0.0

    @api.depends("social_mention_ids")
    def _compute_social_mention_count(self):
        for ticket in self:
            ticket.social_mention_count = len(ticket.social_mention_ids)

    def write(self, vals):
        result = super().write(vals)
        if vals.get("stage_id"):
            # solved after the resolution target: the breach stays on record
            late = self.filtered(
                lambda t: t.closed
                and t.social_resolution_deadline
                and not t.social_sla_breached
                and (t.closed_date or fields.Datetime.now()) > t.social_resolution_deadline
            )
            if late:
                late.sudo().write({"social_sla_breached": True})
        return result

    # ------------------------------------------------------------------ actions

    def action_social_reply(self):
        self.ensure_one()
        mention = self.social_mention_id
        if not mention:
            raise UserError(self.env._("This ticket did not come from social media."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reply on %(platform)s", platform=mention._platform_label()),
            "res_model": "social.crm.reply",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_view_social_mentions(self):
        self.ensure_one()
        return self.env["social.crm.mention"]._action_list([("ticket_id", "=", self.id)])

    # ----------------------------------------------------------------- business

    @api.model
    def _social_channel(self):
        return self.env.ref("social_crm.helpdesk_ticket_channel_social", raise_if_not_found=False)

    @api.model
    def _social_expected_compounds(self, mentions):
        """``{(company id, intent): average compound}`` of the companies' scored
        mentions of the last days, where there are enough of them; stands for
        an unknown sentiment in the priority (see scoring/priority.py). A
        positive score on a complaint is not trusted there, so not counted."""
        intents = list(set(mentions.mapped("intent")) - {False})
        if not intents:
            return {}
        since = fields.Datetime.now() - timedelta(days=EXPECTED_DAYS)
        groups = (
            self.env["social.crm.mention"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "in", mentions.company_id.ids),
                    ("direction", "=", "in"),
                    ("intent", "in", intents),
                    ("sentiment_label", "in", ("positive", "neutral", "negative")),
                    ("posted_at", ">=", since),
                    "|",
                    ("intent", "!=", "complaint"),
                    ("sentiment_score", "<=", 0),
                ],
                ["company_id", "intent"],
                ["sentiment_score:avg", "__count"],
            )
        )
        return {
            (company.id, intent): average
            for company, intent, average, count in groups
            if count >= EXPECTED_MIN_SAMPLES and average is not None
        }

    @api.model
    def _social_create_from_mentions(self, mentions, rules, team=None, user=None):
        """Create one ticket per mention (in one batch), with its explained
        priority and its targets counted from the customer's post. ``team`` and
        ``user`` (a ticket made by hand) override the rule's."""
        vals_list, languages = [], []
        now = fields.Datetime.now()
        value_cache, stage_cache = {}, {}
        Team = self.env["helpdesk.ticket.team"]
        channel = self._social_channel()
        expected = self._social_expected_compounds(self.env["social.crm.mention"].union(*mentions))
        numbers = {
            company: iter(self._social_reserve_numbers(company, count))
            for company, count in Counter(m.company_id for m in mentions).items()
        }
        for mention, rule in zip(mentions, rules, strict=True):
            company = mention.company_id
            priority, score, breakdown = mention._compute_ticket_priority(
                value_cache, expected_compound=expected.get((company.id, mention.intent))
            )
            ticket_team = (
                team or rule._company_value("helpdesk_team_id", company) or company.social_crm_helpdesk_team_id
            )
            who = mention.author_name or mention.author_handle or self.env._("Someone")
            title = textwrap.shorten(mention.title or mention.text or "", 80, placeholder=" …")
            start = min(mention.posted_at or now, now)
            deadline = company._social_crm_response_deadline(priority, start)
            vals = {
                "name": f"{who}: {title}" if title else who,
                # the customer's words, as the body of an e-mail ticket; the conversation
                # is in the chatter, who, where and when in the ticket's Social tab
                "description": mention._social_text_html(),
                "partner_id": mention.partner_id.id or False,
                "partner_name": mention.partner_id.name or who,
                "priority": priority,
                "channel_id": channel.id or False,
                "company_id": company.id,
                "social_mention_id": mention.id,
                "social_thread_key": mention._thread_key(),
                "social_priority_score": score,
                "social_priority_reasons": messages.stored_reasons(breakdown),
                "social_sla_start": start,
                "social_response_deadline": deadline,
                "social_resolution_deadline": company._social_crm_resolution_deadline(priority, start),
                "social_escalate_at": deadline,
            }
            number = next(numbers[company], None)
            if number:  # else helpdesk numbers the ticket itself
                vals["number"] = number
            if ticket_team:
                vals["team_id"] = ticket_team.id
            # the first stage of the team, looked up once per team (helpdesk would do it per ticket)
            if ticket_team not in stage_cache:
                stage_cache[ticket_team] = (ticket_team or Team)._get_applicable_stages()[:1].id
            if stage_cache[ticket_team]:
                vals["stage_id"] = stage_cache[ticket_team]
            # given by hand, by the mention's assignee or by the rule; else the team's
            # turn (round-robin), else nobody: never the cron's own user
            vals["user_id"] = (user or mention.user_id or rule._company_value("user_id", company)).id or False
            vals_list.append(vals)
            languages.append(mention.language if mention.language not in (False, "und") else False)
        Team.sudo()._social_assign(vals_list, languages)
        # created by the cron: no "ticket created" log line nor creation tracking
        tickets = self.with_context(mail_create_nolog=True, mail_notrack=True, mail_create_nosubscribe=True).create(
            vals_list
        )
        _logger.info("%d social ticket(s) created", len(tickets))
        return tickets

    @api.model
    def _social_custom_numbering(self):
        """True when an installed addon overrides helpdesk_mgmt's ``_prepare_ticket_number``."""
        return type(self)._prepare_ticket_number is not HelpdeskMgmtTicket._prepare_ticket_number

    @api.model
    def _social_reserve_numbers(self, company, count):
        """``count`` ticket numbers of ``company`` drawn in one query.

        helpdesk_mgmt draws one number per ticket (a sequence lookup and a
        ``nextval`` each); the cron creates tickets by hundreds. Only for the
        usual "standard" sequence without date ranges: otherwise (gapless or
        yearly numbering) nothing is reserved and helpdesk numbers each ticket.
        Nor when an addon overrides ``_prepare_ticket_number``: helpdesk then
        calls it for each social ticket, with the ticket's values."""
        if not count or self._social_custom_numbering():
            return []
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [("code", "=", "helpdesk.ticket.sequence"), ("company_id", "in", [company.id, False])],
                order="company_id",
                limit=1,
            )
        )
        if not sequence or sequence.implementation != "standard" or sequence.use_date_range:
            return []
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        numbers = sorted(row[0] for row in self.env.cr.fetchall())
        # get_next_char() formatting, with the prefix and suffix interpolated once
        prefix, suffix = sequence.with_company(company)._get_prefix_suffix()
        return [f"{prefix}{number:0{sequence.padding}d}{suffix}" for number in numbers]

    # ------------------------------------------------------------ conversations

    @api.model
    def _social_route_conversations(self, mentions):
        """Settle the mentions that continue the conversation of an open social
        ticket, whatever the routing rules say: an answer to one of its posts
        (our replies included), or a follow-up of one of its authors in the same
        thread or under the same subject within the company's follow-up window.
        Returns the mentions that joined a ticket."""
        Mention = self.env["social.crm.mention"].sudo()
        mentions = mentions.filtered(lambda m: m.direction == "in" and not m.ticket_id)
        if not mentions:
            return mentions
        ordered = mentions.sorted(lambda m: (m.posted_at or EARLIEST, m.id))
        by_post = {}  # (company id, platform, external id) -> open ticket of that company
        parent_refs = [m.parent_ref for m in ordered if m.parent_ref]
        if parent_refs:
            # with the platform, so that the (platform, external_id) unique index serves it
            for post in Mention.search_fetch(
                [
                    ("platform", "in", list(set(ordered.mapped("platform")))),
                    ("external_id", "in", parent_refs),
                    ("ticket_id", "!=", False),
                    ("ticket_id.stage_id.closed", "=", False),
                ],
                ["platform", "external_id", "ticket_id"],
            ):
                by_post[(post.ticket_id.company_id.id, post.platform, post.external_id)] = post.ticket_id
        windows = {
            company: timedelta(hours=company.social_crm_followup_hours)
            for company in ordered.company_id
            if company.social_crm_followup_hours > 0
        }
        earlier = defaultdict(_Timeline)  # (company id, author id, conversation key) -> its posts
        authored = ordered.filtered(lambda m: m.author_id and m.posted_at and m.company_id in windows)
        if authored:
            oldest = min(authored.mapped("posted_at")) - max(windows.values())
            # only the earlier posts that can share a key with these: same thread, or
            # (posts without a thread) a title
            threads = list({m.thread_ref or m.external_id for m in authored})
            same_thread = ["|", ("thread_ref", "in", threads), ("external_id", "in", threads)]
            if any(not m.thread_ref and m.title for m in authored):
                same_thread = ["|", "&", ("thread_ref", "=", False), ("title", "!=", False), *same_thread]
            for post in Mention.search_fetch(
                [
                    ("author_id", "in", authored.author_id.ids),
                    ("direction", "=", "in"),
                    ("ticket_id", "!=", False),
                    ("ticket_id.stage_id.closed", "=", False),
                    ("posted_at", ">=", oldest),
                    *same_thread,
                ],
                ["platform", "external_id", "thread_ref", "title", "author_id", "posted_at", "ticket_id", "company_id"],
                order="posted_at, id",
            ):
                for key in _conversation_keys(post):
                    earlier[(post.company_id.id, post.author_id.id, key)].add(post.posted_at, post.ticket_id)
        joined = defaultdict(lambda: Mention.browse())
        for mention in ordered:
            # a conversation never crosses companies
            company_id = mention.company_id.id
            ticket = by_post.get((company_id, mention.platform, mention.parent_ref)) if mention.parent_ref else None
            keys = _conversation_keys(mention) if mention.author_id and mention.posted_at else []
            if not ticket and mention in authored:
                window = windows[mention.company_id]
                candidates = [
                    found
                    for key in keys
                    if (found := earlier[(company_id, mention.author_id.id, key)].latest(mention.posted_at))
                    and found[0] + window >= mention.posted_at
                ]
                if candidates:
                    ticket = max(candidates, key=lambda c: c[0])[1]
            if not ticket:
                continue
            joined[ticket] |= mention
            # what joined in this batch is part of the conversation for the next ones
            by_post[(company_id, mention.platform, mention.external_id)] = ticket
            for key in keys:
                earlier[(company_id, mention.author_id.id, key)].add(mention.posted_at, ticket)
        entries, rows = [], []
        for ticket, group in joined.items():
            note = self.env._("Conversation of %(ticket)s", ticket=ticket.display_name)
            rows += [SQL("(%s, %s, %s)", mention.id, ticket.id, note) for mention in group]
            entries += [(ticket, mention) for mention in group]
        if rows:
            # one UPDATE for the batch (a write per ticket cost more than the rest of
            # the search, most of it re-checking companies chosen equal above)
            moved = Mention.union(*joined.values())
            fnames = ["state", "ticket_id", "routing_note"]
            Mention.flush_model(fnames)
            moved.modified(fnames)
            self.env.cr.execute(
                SQL(
                    """UPDATE social_crm_mention AS m
                          SET state = 'routed', ticket_id = v.ticket_id, routing_note = v.note,
                              write_uid = %s, write_date = now() AT TIME ZONE 'UTC'
                         FROM (VALUES %s) AS v(id, ticket_id, note)
                        WHERE m.id = v.id""",
                    self.env.uid,
                    SQL(", ").join(rows),
                )
            )
            moved.invalidate_recordset([*fnames, "write_uid", "write_date"])
            self.invalidate_model(["social_mention_ids"])
            moved.modified(fnames, before=False)
        self._social_log_conversation(entries)
        self._social_raise_priorities(joined)
        return Mention.union(*joined.values())

    @api.model
    def _social_top_priority(self):
        """The highest level of helpdesk's priority selection (Very High: 3)."""
        return max(int(level) for level, _label in self._fields["priority"].selection)

    @api.model
    def _social_raise_priorities(self, mentions_by_ticket):
        """A later post of the conversation can make it more urgent ("now the
        whole company is down"): the ticket's priority rises to the post's,
        never falls; the explanation says which post. The targets stay."""
        value_cache = {}
        expected = self._social_expected_compounds(self.env["social.crm.mention"].union(*mentions_by_ticket.values()))
        top = self._social_top_priority()
        for ticket, mentions in mentions_by_ticket.items():
            if ticket.stage_id.closed or int(ticket.priority or 0) >= top:
                continue  # nothing to raise
            best = None
            for mention in mentions.filtered(lambda m: m.direction == "in" and m.analysis_version):
                priority, score, breakdown = mention._compute_ticket_priority(
                    value_cache, expected_compound=expected.get((mention.company_id.id, mention.intent))
                )
                if int(priority) > int(ticket.priority or 0) and (not best or score > best[1]):
                    best = (priority, score, breakdown)
            if best:
                priority, score, breakdown = best
                ticket.sudo().write(
                    {
                        "priority": priority,
                        "social_priority_score": max(score, ticket.social_priority_score),
                        "social_priority_reasons": [
                            {"code": "raised_by_later_post", "params": {}},
                            *messages.stored_reasons(breakdown),
                        ],
                    }
                )

    @api.model
    def _social_route_mentions(self, mentions_by_rule, team=None, user=None, conversations=True):
        """One ticket per conversation: continue open conversations (see
        :meth:`_social_route_conversations`; ``conversations=False`` when the
        caller did), join open tickets of the same thread, and create the
        missing ones in one batch. Returns the tickets created."""
        Mention = self.env["social.crm.mention"]
        mentions = Mention.union(*mentions_by_rule.values())
        rule_of = {m: rule for rule, ms in mentions_by_rule.items() for m in ms}
        rest = mentions - self._social_route_conversations(mentions) if conversations else mentions
        rest = rest.sorted(lambda m: (m.posted_at or EARLIEST, m.id))
        keys = {m: m._thread_key() for m in rest}
        open_by_key = {  # (company id, thread key) -> open ticket: a thread never crosses companies
            (t.company_id.id, t.social_thread_key): t
            for t in self.sudo().search(
                [
                    ("social_thread_key", "in", list(set(keys.values()))),
                    ("company_id", "in", rest.company_id.ids),
                    ("stage_id.closed", "=", False),
                ],
                order="id",
            )
        }
        joined = defaultdict(lambda: Mention.browse())  # existing ticket -> mentions
        new_groups = {}  # (company id, thread key) -> mentions of a ticket to create
        new_by_external = {}  # (company id, platform, external id) -> key of a new group
        for mention in rest:
            company_id = mention.company_id.id
            key = (company_id, keys[mention])
            ticket = open_by_key.get(key)
            if ticket:
                joined[ticket] |= mention
                continue
            key = new_by_external.get((company_id, mention.platform, mention.parent_ref), key)
            new_groups.setdefault(key, Mention.browse())
            new_groups[key] |= mention
            new_by_external[(company_id, mention.platform, mention.external_id)] = key
        groups = list(new_groups.values())
        created = self.sudo()._social_create_from_mentions(
            [group[0] for group in groups], [rule_of[group[0]] for group in groups], team=team, user=user
        )
        entries = []
        for ticket, group in [*zip(created, groups, strict=True), *joined.items()]:
            group._set_routed(rule_of[group[0]], ticket)
            entries += [(ticket, mention) for mention in group]
        self._social_log_conversation(entries)
        self._social_raise_priorities(
            {
                **joined,
                **{ticket: group[1:] for ticket, group in zip(created, groups, strict=True) if len(group) > 1},
            }
        )
        return created

    @api.model
    def _social_log_conversation(self, entries):
        """One chatter message per post of the conversation (``entries`` are
        ``(ticket, mention)``), in the order they were posted, dated when they
        were posted and signed by their author (the contact when known). In one
        batch, without notifications: they are notes, the customer is not a
        follower.

        The bodies are written by one UPDATE after the messages are created: the
        ORM runs Odoo's HTML sanitiser twice on every body it is given (for the
        database and for the cache), about two thirds of the cost of a message
        here. These bodies need none: they are the QWeb template's own markup,
        every value escaped by ``t-out``/``t-att``, links and images only from
        http(s) addresses (``_post_values``), and the customer's words through
        ``plaintext2html``."""
        if not entries:
            return self.env["mail.message"]
        now = fields.Datetime.now()
        entries = sorted(entries, key=lambda e: (e[0].id, e[1].posted_at or EARLIEST, e[1].id))
        note = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        QWeb = self.env["ir.qweb"]
        # computed once (mail.message would look it up for each message): notes are not mailed
        reply_to = self.env["mail.thread"]._notify_get_reply_to(default=False)[False]
        values_list, bodies = [], []
        for ticket, mention in entries:
            bodies.append(QWeb._render("social_crm.ticket_conversation_post", _post_values(mention)))
            values_list.append(
                {
                    "model": self._name,
                    "res_id": ticket.id,
                    "author_id": mention.partner_id.id or False,
                    "email_from": _author_label(mention),
                    "date": mention.posted_at or now,
                    "message_type": "comment",
                    "subtype_id": note,
                    "is_internal": True,
                    "email_add_signature": False,
                    "message_id": generate_tracking_message_id("social-crm"),
                    "record_name": False,
                    "record_alias_domain_id": False,
                    "record_company_id": False,
                    "reply_to": reply_to,
                }
            )
        messages = self.sudo()._message_create(values_list)
        self.env.cr.execute(
            SQL(
                "UPDATE mail_message AS m SET body = v.body FROM (VALUES %s) AS v(id, body) WHERE m.id = v.id",
                SQL(", ").join(
                    SQL("(%s, %s)", message.id, body) for message, body in zip(messages, bodies, strict=True)
                ),
            )
        )
        messages.invalidate_recordset(["body"])
        return messages

    @api.model
    def _social_log_mentions(self, mentions_by_ticket):
        """New posts of known conversations: one message each (kept for callers
        that group mentions by ticket)."""
        self._social_log_conversation([(t, m) for t, ms in mentions_by_ticket.items() for m in ms])

    def _social_log_reply(self, text, url, what):
        """Our answer as one chatter message signed by the agent who gave it."""
        self.ensure_one()
        body = self.env["ir.qweb"]._render(
            "social_crm.ticket_conversation_reply",
            {"what": what, "url": url, "text": plaintext2html(text), "open_label": self.env._("open")},
        )
        return self.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note")

    # --------------------------------------------------------------- SLA, triage

    def _social_mark_answered(self):
        """The customer was answered: first response (late or not, for good),
        and the ticket leaves the unattended stage for the team's "answered" one."""
        now = fields.Datetime.now()
        for ticket in self:
            vals = {}
            if not ticket.social_first_response_at:
                vals.update(social_first_response_at=now, social_escalate_at=False)
                if ticket.social_response_deadline and now > ticket.social_response_deadline:
                    vals["social_sla_breached"] = True
            if ticket.stage_id.unattended:
                stage = ticket.team_id._social_answered_stage()
                if stage and stage != ticket.stage_id:
                    vals["stage_id"] = stage.id
            if vals:
                ticket.write(vals)

    @api.model
    def _cron_escalate_social_tickets(self):
        """Record the targets that passed, raise the priority of unanswered
        social tickets past their deadline and ask the team leader to act.

        The tickets are escalated a batch at a time, each batch committed (not
        in tests) with its progress; returns the escalated tickets."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        size = config_params.int_param(self.env, config_params.ESCALATION_BATCH, ESCALATION_BATCH, minimum=1)
        now = fields.Datetime.now()
        late = self.search(
            expression.AND([self._social_sla_domains()["overdue"], [("social_sla_breached", "=", False)]])
        )
        if late:
            late.write({"social_sla_breached": True})
        overdue = self.search(
            [
                ("social_mention_id", "!=", False),
                ("stage_id.closed", "=", False),
                ("social_first_response_at", "=", False),
                "|",
                ("social_escalate_at", "<", now),
                "&",
                ("social_escalate_at", "=", False),  # tickets of older versions
                ("social_response_deadline", "<", now),
            ]
        )
        if auto_commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        done = 0
        for batch in split_every(size, overdue.ids, self.browse):
            for ticket in batch:
                ticket._social_escalate()
            done += len(batch)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(overdue) - done)
            if auto_commit:
                # each batch is kept: a crash escalates the rest on the next run, not these twice
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return overdue

    def _social_escalate(self):
        self.ensure_one()
        old = self.priority or "0"
        new = str(min(self._social_top_priority(), int(old) + 1))
        leader = self.team_id.user_id or self.user_id or self.env.ref("base.user_admin", raise_if_not_found=False)
        # the deadline stays (the breach is on record); the leader is reminded after
        # the time the new priority allows
        self.write(
            {
                "priority": new,
                "social_escalation_level": self.social_escalation_level + 1,
                "social_sla_breached": True,
                "social_escalate_at": fields.Datetime.now()
                + timedelta(hours=max(0.25, self.company_id._social_crm_sla_hours(new))),
            }
        )
        # the selection's labels, in the reader's language
        labels = dict(self._fields["priority"]._description_selection(self.env))
        if new != old:
            note = self.env._(
                "Social ticket unanswered past its deadline: priority raised from %(old)s to %(new)s.",
                old=labels[old],
                new=labels[new],
            )
        else:  # already at the top: say so rather than "raised from Very High to Very High"
            note = self.env._(
                "Social ticket unanswered past its deadline, already at %(priority)s priority.",
                priority=labels[new],
            )
        self.message_post(body=note, message_type="comment", subtype_xmlid="mail.mt_note")
        if leader:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Overdue social ticket: answer the customer"),
                note=note,
                user_id=leader.id,
            )

    # ------------------------------------------------------------------ demo

    @api.model
    def _social_demo_answer_times(self, answers):
        """Demo data only: the tickets of these mentions are dated when their
        mention arrived (plus ten minutes) and answered after the given hours.

        ``answers``: ``{mention xml id: hours, or None when not answered yet}``."""
        for xmlid, hours in answers.items():
            mention = self.env.ref(xmlid, raise_if_not_found=False)
            ticket = mention.ticket_id if mention else self.browse()
            if not ticket or mention.ticket_id.social_mention_id != mention:
                continue
            opened = mention.posted_at + timedelta(minutes=10)
            # create_date is the ORM's own: set in SQL, then read again
            self.env.cr.execute("UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", (opened, ticket.id))
            ticket.invalidate_recordset(["create_date"])
            vals = {
                "social_response_deadline": ticket.company_id._social_crm_response_deadline(ticket.priority, opened)
            }
            if hours is not None:
                vals["social_first_response_at"] = opened + timedelta(hours=hours)
            ticket.write(vals)
