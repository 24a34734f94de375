import textwrap
from datetime import timedelta

from odoo import api, fields, models

from ..connectors.records import http_url


class CrmLead(models.Model):
    _inherit = "crm.lead"

    social_mention_id = fields.Many2one("social.crm.mention", "Source mention", readonly=True, index=True)
    social_mention_ids = fields.One2many("social.crm.mention", "lead_id", string="Social mentions")
    social_author_id = fields.Many2one(related="social_mention_id.author_id", store=True, string="Social author")
    # Social context of the contact, shown to sales on the lead
    social_identity_ids = fields.Many2many(
        "social.crm.author", compute="_compute_social_context", string="Social identities"
    )
    social_influence = fields.Integer(compute="_compute_social_context", string="Influence")
    social_sentiment_avg = fields.Float(compute="_compute_social_context", string="Sentiment (30 days)", digits=(3, 2))
    social_sentiment_trend = fields.Char(compute="_compute_social_context", string="Sentiment trend")
    social_recent_mention_ids = fields.Many2many(
        "social.crm.mention", compute="_compute_social_context", string="Recent mentions"
    )
    social_advocate_id = fields.Many2one(
        "social.crm.advocate",
        "Referred by advocate",
        index=True,
        help="The advocate earns the program's referral points when this lead is won.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "stage_id" in vals or "probability" in vals:
            won = self.filtered(lambda lead: lead.social_advocate_id and lead.stage_id.is_won)
            Activity = self.env["social.crm.advocacy.activity"]
            for lead in won:
                Activity._award(lead.social_advocate_id.sudo(), "referral", lead=lead)
        return result

    @api.depends("partner_id", "social_mention_id")
    def _compute_social_context(self):
        Mention = self.env["social.crm.mention"]
        now = fields.Datetime.now()
        for lead in self:
            authors = lead.partner_id.social_author_ids | lead.social_mention_id.author_id
            lead.social_identity_ids = authors
            lead.social_influence = max(authors.mapped("influence_score") or [0])
            if not authors:
                lead.social_recent_mention_ids = False
                lead.social_sentiment_avg = 0.0
                lead.social_sentiment_trend = False
                continue
            domain = [("author_id", "in", authors.ids), ("direction", "=", "in")]
            lead.social_recent_mention_ids = Mention.search(domain, limit=10, order="posted_at desc")
            scored = domain + [("sentiment_label", "in", ("positive", "neutral", "negative"))]
            [[recent, recent_count]] = Mention._read_group(
                scored + [("posted_at", ">=", now - timedelta(days=30))], [], ["sentiment_score:avg", "__count"]
            )
            [[before, before_count]] = Mention._read_group(
                scored + [("posted_at", "<", now - timedelta(days=30)), ("posted_at", ">=", now - timedelta(days=90))],
                [],
                ["sentiment_score:avg", "__count"],
            )
            lead.social_sentiment_avg = recent or 0.0
            lead.social_sentiment_trend = lead._social_trend_label(recent, recent_count, before, before_count)

    def _social_trend_label(self, recent, recent_count, before, before_count):
        if not recent_count:
            return self.env._("No scored mention in 30 days")
        if not before_count:
            return self.env._("%(avg)+.2f over %(count)s mention(s), no earlier data", avg=recent, count=recent_count)
        delta = recent - before
        word = (
            self.env._("improving")
            if delta > 0.1
            else self.env._("worsening")
            if delta < -0.1
            else self.env._("stable")
        )
        return self.env._(
            "%(word)s: %(avg)+.2f vs %(before)+.2f the 60 days before", word=word, avg=recent, before=before
        )

    @api.model
    def _social_create_from_mentions(self, mentions, rules):
        """One lead per mention (routed by the matching rule), created in one batch."""
        vals_list = []
        for mention, rule in zip(mentions, rules, strict=True):
            company = mention.company_id
            who = mention.author_name or mention.author_handle or self.env._("Social contact")
            vals = {
                "name": self.env._(
                    "%(who)s on %(platform)s: %(text)s",
                    who=who,
                    platform=mention._platform_label(),
                    text=textwrap.shorten(mention.text or mention.title or "", 70, placeholder=" …"),
                ),
                "partner_id": mention.partner_id.id or False,
                "contact_name": False if mention.partner_id else who,
                "description": mention._social_html(),
                "company_id": company.id,
                "social_mention_id": mention.id,
                "website": http_url(mention.author_id.profile_url) or False,
            }
            team = rule._company_value("crm_team_id", company) or company.social_crm_crm_team_id
            if team:
                vals["team_id"] = team.id
            vals["user_id"] = rule._company_value("user_id", company).id or False  # never the cron's own user
            vals_list.append(vals)
        return self.create(vals_list)

    @api.model
    def _social_log_mentions(self, mentions_by_lead):
        """New mentions of the leads' authors: one note per lead."""
        self.env["social.crm.mention"]._social_log_notes(mentions_by_lead, self.env._("New social mention"))
