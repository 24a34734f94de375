from collections import defaultdict

from odoo import api, fields, models

from ..connectors.records import http_url
from .social_crm_author import SENTIMENT_LABELS, TREND_LABELS

SOCIAL_MEDIUM = "Social media"  # the UTM medium of social leads; their source is the platform


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
    social_sentiment_label = fields.Selection(
        SENTIMENT_LABELS, compute="_compute_social_context", string="Sentiment of the last 30 days"
    )
    social_sentiment_trend_code = fields.Selection(TREND_LABELS, compute="_compute_social_context", string="Trend")
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
        for lead in self:
            authors = lead.partner_id.social_author_ids | lead.social_mention_id.author_id
            lead.social_identity_ids = authors
            lead.social_influence = max(authors.mapped("influence_score") or [0])
            domain = [("author_id", "in", authors.ids), ("direction", "=", "in")]
            lead.social_recent_mention_ids = (
                Mention.search(domain, limit=10, order="posted_at desc") if authors else False
            )
            summary = authors._social_sentiment_summary()
            lead.social_sentiment_avg = summary["average"]
            lead.social_sentiment_label = summary["label"]
            lead.social_sentiment_trend_code = summary["trend"]
            lead.social_sentiment_trend = summary["text"] if authors else False

    @api.model
    def _social_create_from_mentions(self, mentions, rules):
        """One lead per mention (routed by the matching rule), created in one batch:
        the contact when the author is known, the salesperson of the rule or of
        the team's assignment, the platform as UTM source and "Social media" as
        medium."""
        vals_list = []
        # found by name (utm names are unique), created on first use
        medium = self._find_or_create_record("utm.medium", SOCIAL_MEDIUM)
        sources = {}
        by_team = defaultdict(list)  # team -> the vals of its leads without a salesperson
        for mention, rule in zip(mentions, rules, strict=True):
            company = mention.company_id
            who = mention.author_name or mention.author_handle or self.env._("Social contact")
            platform = mention._platform_label()
            if platform not in sources:
                sources[platform] = self._find_or_create_record("utm.source", platform)
            vals = {
                "name": self.env._(
                    "%(who)s on %(platform)s: %(text)s", who=who, platform=platform, text=mention._social_lead_title()
                ),
                "partner_id": mention.partner_id.id or False,
                "contact_name": False if mention.partner_id else who,
                "description": mention._social_html(),
                "company_id": company.id,
                "social_mention_id": mention.id,
                "website": http_url(mention.author_id.profile_url) or False,
                "source_id": sources[platform].id,
                "medium_id": medium.id,
            }
            team = (
                rule._company_value("crm_team_id", company)
                or company.social_crm_crm_team_id
                or self._social_default_team(company)
            )
            if team:
                vals["team_id"] = team.id
            vals["user_id"] = rule._company_value("user_id", company).id or False  # never the cron's own user
            if not vals["user_id"] and team:
                by_team[team].append(vals)
            vals_list.append(vals)
        for team, team_vals in by_team.items():
            for vals, user in zip(team_vals, team._social_crm_salespeople(len(team_vals)), strict=True):
                vals["user_id"] = user.id or False
        return self.create(vals_list)

    @api.model
    def _social_default_team(self, company):
        """The first sales team of the company that works with leads or opportunities."""
        return self.env["crm.team"].search(
            [
                ("company_id", "in", [company.id, False]),
                "|",
                ("use_leads", "=", True),
                ("use_opportunities", "=", True),
            ],
            order="sequence, id",
            limit=1,
        )

    @api.model
    def _social_route_mentions(self, mentions, rule):
        """One open lead per author: ``mentions`` (routed by ``rule``) join their
        author's open lead (a note on it); the missing leads are created in one
        batch, from the first mention of each author, the others logged on it."""
        Lead = self.sudo()
        mentions = mentions.sorted("id")
        open_by_author = {}
        if mentions.author_id:
            for lead in Lead.search(
                [("social_author_id", "in", mentions.author_id.ids), ("active", "=", True), ("probability", "<", 100)],
                order="id desc",
            ):
                open_by_author.setdefault(lead.social_author_id, lead)
        joined = defaultdict(mentions.browse)  # existing lead -> mentions
        new_groups = {}  # author (or the mention itself when anonymous) -> mentions of a new lead
        for mention in mentions:
            lead = open_by_author.get(mention.author_id) if mention.author_id else None
            if lead:
                joined[lead] |= mention
                continue
            key = mention.author_id or mention
            new_groups[key] = new_groups.get(key, mentions.browse()) | mention
        to_log = {}
        if new_groups:
            firsts = [group[0] for group in new_groups.values()]
            created = Lead._social_create_from_mentions(firsts, [rule] * len(firsts))
            for lead, group in zip(created, new_groups.values(), strict=True):
                group._set_routed(rule, lead)
                if len(group) > 1:
                    to_log[lead] = group[1:]
        for lead, group in joined.items():
            group._set_routed(rule, lead)
            to_log[lead] = group
        Lead._social_log_mentions(to_log)

    @api.model
    def _social_log_mentions(self, mentions_by_lead):
        """New mentions of the leads' authors: one note per lead."""
        self.env["social.crm.mention"]._social_log_notes(mentions_by_lead, self.env._("New social mention"))
