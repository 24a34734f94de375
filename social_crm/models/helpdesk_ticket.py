import logging
import textwrap
from collections import Counter

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

PRIORITY_LABELS = {"0": "Low", "1": "Medium", "2": "High", "3": "Very High"}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    social_mention_id = fields.Many2one("social.crm.mention", "Source mention", readonly=True, index=True)
    social_mention_ids = fields.One2many("social.crm.mention", "ticket_id", string="Social mentions")
    social_thread_key = fields.Char(readonly=True, index=True, copy=False)
    social_platform = fields.Selection(related="social_mention_id.platform", string="Platform")
    social_url = fields.Char(related="social_mention_id.url", string="Post URL")
    social_author_id = fields.Many2one(related="social_mention_id.author_id", string="Social author")
    social_language = fields.Char(related="social_mention_id.language", string="Language")
    social_sentiment_label = fields.Selection(related="social_mention_id.sentiment_label", string="Sentiment")
    social_sentiment_score = fields.Float(related="social_mention_id.sentiment_score", string="Sentiment score")
    social_intent = fields.Selection(related="social_mention_id.intent", string="Intent")
    social_influence = fields.Integer(related="social_mention_id.author_id.influence_score", string="Influence")
    social_priority_score = fields.Integer("Priority score", readonly=True)
    social_priority_explanation = fields.Text("Why this priority", readonly=True)
    social_response_deadline = fields.Datetime("Answer before", readonly=True, copy=False, index=True)
    social_first_response_at = fields.Datetime("First answer", readonly=True, copy=False)
    social_escalation_level = fields.Integer("Escalations", readonly=True, copy=False)
    social_first_response_hours = fields.Float(
        "First response (hours)",
        compute="_compute_social_first_response_hours",
        store=True,
        aggregator="avg",
        digits=(16, 2),
    )
    social_sla_status = fields.Selection(
        [("answered", "Answered"), ("on_time", "On time"), ("overdue", "Overdue")],
        compute="_compute_social_sla_status",
        string="Response SLA",
    )
    social_mention_count = fields.Integer(compute="_compute_social_mention_count")

    @api.depends("social_response_deadline", "social_first_response_at")
    def _compute_social_sla_status(self):
        now = fields.Datetime.now()
        for ticket in self:
            if not ticket.social_response_deadline:
                ticket.social_sla_status = False
            elif ticket.social_first_response_at:
                ticket.social_sla_status = "answered"
            else:
                ticket.social_sla_status = "overdue" if ticket.social_response_deadline < now else "on_time"

    @api.depends("social_first_response_at", "create_date")
    def _compute_social_first_response_hours(self):
        for ticket in self:
            if ticket.social_first_response_at and ticket.create_date:
                delta = ticket.social_first_response_at - ticket.create_date
                ticket.social_first_response_hours = max(0.0, delta.total_seconds() / 3600)
            else:
                ticket.social_first_response_hours = 0.0

    @api.depends("social_mention_ids")
    def _compute_social_mention_count(self):
        for ticket in self:
            ticket.social_mention_count = len(ticket.social_mention_ids)

    # ------------------------------------------------------------------ actions

    def action_social_reply(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Reply on %(platform)s",
                # a related Selection's .selection is a function: ask the mention's own field
                platform=self.social_mention_id._platform_label() if self.social_mention_id else "",
            ),
            "res_model": "social.crm.reply",
            "view_mode": "form",
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
    def _social_create_from_mentions(self, mentions, rules):
        """Create one ticket per mention (in one batch), with its explained
        priority and its answer deadline."""
        vals_list = []
        now = fields.Datetime.now()
        value_cache, stage_cache = {}, {}
        Team = self.env["helpdesk.ticket.team"]
        channel = self._social_channel()
        numbers = {
            company: iter(self._social_reserve_numbers(company, count))
            for company, count in Counter(m.company_id for m in mentions).items()
        }
        for mention, rule in zip(mentions, rules, strict=True):
            priority, score, breakdown = mention._compute_ticket_priority(value_cache)
            company = mention.company_id
            team = rule._company_value("helpdesk_team_id", company) or company.social_crm_helpdesk_team_id
            who = mention.author_name or mention.author_handle or self.env._("Someone")
            title = textwrap.shorten(mention.title or mention.text or "", 80, placeholder=" …")
            vals = {
                "name": f"{who}: {title}" if title else who,
                # the customer's words, as the body of an e-mail ticket; who, where and
                # when are in the ticket's Social tab
                "description": mention._social_text_html(),
                "partner_id": mention.partner_id.id or False,
                "partner_name": mention.partner_id.name or who,
                "priority": priority,
                "channel_id": channel.id or False,
                "company_id": company.id,
                "social_mention_id": mention.id,
                "social_thread_key": mention._thread_key(),
                "social_priority_score": score,
                "social_priority_explanation": "\n".join(breakdown["reasons"]) or self.env._("No urgency signal"),
                "social_response_deadline": company._social_crm_response_deadline(priority, now),
            }
            number = next(numbers[company], None)
            if number:  # else helpdesk numbers the ticket itself
                vals["number"] = number
            if team:
                vals["team_id"] = team.id
            # the first stage of the team, looked up once per team (helpdesk would do it per ticket)
            if team not in stage_cache:
                stage_cache[team] = (team or Team)._get_applicable_stages()[:1].id
            if stage_cache[team]:
                vals["stage_id"] = stage_cache[team]
            # assigned by the rule, or left for the team: never to the cron's own user
            vals["user_id"] = rule._company_value("user_id", company).id or False
            vals_list.append(vals)
        # created by the cron: no "ticket created" log line nor creation tracking
        tickets = self.with_context(mail_create_nolog=True, mail_notrack=True, mail_create_nosubscribe=True).create(
            vals_list
        )
        _logger.info("%d social ticket(s) created", len(tickets))
        return tickets

    @api.model
    def _social_reserve_numbers(self, company, count):
        """``count`` ticket numbers of ``company`` drawn in one query.

        helpdesk_mgmt draws one number per ticket (a sequence lookup and a
        ``nextval`` each); the cron creates tickets by hundreds. Only for the
        usual "standard" sequence without date ranges: otherwise (gapless or
        yearly numbering) nothing is reserved and helpdesk numbers each ticket."""
        if not count:
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

    @api.model
    def _social_log_mentions(self, mentions_by_ticket):
        """New messages of known conversations: one note per ticket."""
        self.env["social.crm.mention"]._social_log_notes(
            mentions_by_ticket, self.env._("New message(s) in the conversation")
        )

    def _social_mark_answered(self):
        self.filtered(lambda t: not t.social_first_response_at).write(
            {"social_first_response_at": fields.Datetime.now()}
        )

    @api.model
    def _cron_escalate_social_tickets(self):
        """Raise the priority of unanswered social tickets past their deadline
        and ask the team leader to act."""
        overdue = self.search(
            [
                ("social_mention_id", "!=", False),
                ("closed", "=", False),
                ("social_first_response_at", "=", False),
                ("social_response_deadline", "<", fields.Datetime.now()),
            ]
        )
        for ticket in overdue:
            ticket._social_escalate()
        return overdue

    def _social_escalate(self):
        self.ensure_one()
        old = self.priority or "0"
        new = str(min(3, int(old) + 1))
        leader = self.team_id.user_id or self.user_id or self.env.ref("base.user_admin", raise_if_not_found=False)
        # a new deadline for the new priority; at "Very High" the leader is reminded each time it passes
        self.write(
            {
                "priority": new,
                "social_escalation_level": self.social_escalation_level + 1,
                "social_response_deadline": self.company_id._social_crm_response_deadline(new, fields.Datetime.now()),
            }
        )
        note = self.env._(
            "Social ticket unanswered past its deadline: priority raised from %(old)s to %(new)s.",
            old=PRIORITY_LABELS[old],
            new=PRIORITY_LABELS[new],
        )
        self.message_post(body=note, message_type="comment", subtype_xmlid="mail.mt_note")
        if leader:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Overdue social ticket: answer the customer"),
                note=note,
                user_id=leader.id,
            )
