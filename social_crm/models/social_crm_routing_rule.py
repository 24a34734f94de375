import functools
import re
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .counting import count_by
from .social_crm_account import platform_selection

INTENTS = [
    ("question", "Question"),
    ("complaint", "Complaint"),
    ("praise", "Praise"),
    ("purchase_intent", "Purchase intent"),
    ("other", "Other"),
]
SENTIMENTS = [
    ("negative", "Negative"),
    ("neutral", "Neutral"),
    ("positive", "Positive"),
    ("not_scored", "Not scored"),
]
ACTIONS = [
    ("ticket", "Create a helpdesk ticket"),
    ("lead", "Create a CRM lead"),
    ("ignore", "Ignore"),
    ("keep", "Keep for review"),
]


@functools.lru_cache(maxsize=512)
def _keyword_patterns(keywords):
    """Whole-word, case-insensitive patterns of the rule's keywords (one per line);
    compiled once per keyword list, not once per mention."""
    terms = [t.strip() for t in keywords.splitlines() if t.strip()]
    return tuple(re.compile(rf"(?<!\w){re.escape(t)}(?!\w)", re.IGNORECASE) for t in terms)


class SocialCrmRoutingRule(models.Model):
    """What happens to an analysed mention: the first matching rule decides."""

    _name = "social.crm.routing.rule"
    _description = "Social CRM Routing Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Empty: applies to every company.")
    # Conditions: every condition that is set must hold
    intent = fields.Selection(INTENTS, help="Empty: any intent.")
    sentiment = fields.Selection(SENTIMENTS, help="Empty: any sentiment.")
    min_influence = fields.Integer("Minimum influence", help="0-100; 0: any author.")
    platform = fields.Selection(platform_selection, help="Empty: any platform.")
    keywords = fields.Text(help="Any of these words or phrases (one per line); empty: no keyword needed.")
    noise = fields.Boolean("Only noise", help="Matches mentions with no words and no recognised intent.")
    addressed = fields.Boolean(
        "Only posts addressed to us",
        help="Matches posts that mention or answer one of our accounts, or comment on our posts; "
        "not those a keyword, hashtag or feed stream found.",
    )
    # Action
    action = fields.Selection(ACTIONS, required=True, default="ticket")
    # A rule of one company links that company's teams and users only (see _check_company_links);
    # a rule of every company may name one company's team: it is used for that company's mentions,
    # the others go to their company's default team.
    helpdesk_team_id = fields.Many2one("helpdesk.ticket.team", "Helpdesk team")
    crm_team_id = fields.Many2one("crm.team", "Sales team")
    user_id = fields.Many2one("res.users", "Assign to", domain=[("share", "=", False)])
    mention_count = fields.Integer("Mentions routed", compute="_compute_mention_count")

    @api.constrains("company_id", "helpdesk_team_id", "crm_team_id", "user_id")
    def _check_company_links(self):
        for rule in self.filtered("company_id"):
            for name in ("helpdesk_team_id", "crm_team_id", "user_id"):
                if rule[name] and not rule._company_value(name, rule.company_id):
                    raise ValidationError(
                        self.env._(
                            "%(rule)s belongs to %(company)s: its %(field)s must too.",
                            rule=rule.name,
                            company=rule.company_id.name,
                            field=self._fields[name].string,
                        )
                    )

    def _company_value(self, name, company):
        """The team or user of field ``name`` if it may act for ``company``, else
        nothing (nothing either for no rule: a ticket made by hand)."""
        if len(self) > 1:
            self.ensure_one()
        value = self.sudo()[name]
        if not value:
            return value
        if value._name == "res.users":
            return value if company in value.company_ids else value.browse()
        return value if value.company_id in (company, value.company_id.browse()) else value.browse()

    def _compute_mention_count(self):
        counts = count_by(self.env["social.crm.mention"], "routing_rule_id", self)
        for rule in self:
            rule.mention_count = counts.get(rule, 0)

    @api.depends("name", "action")
    def _compute_display_name(self):
        labels = dict(ACTIONS)
        for rule in self:
            rule.display_name = f"{rule.name} → {labels.get(rule.action, '')}"

    # ---------------------------------------------------------------- matching

    def _keyword_patterns(self):
        self.ensure_one()
        return _keyword_patterns(self.keywords or "")

    def _matcher(self):
        """A function giving, for a mention, the first of these rules (in their
        order) whose every condition holds for it, or no rule. The rules'
        conditions are read once: the processing cron routes a thousand mentions
        per batch."""
        conditions = [
            (
                rule,
                rule.company_id.id,
                rule.platform,
                rule.intent,
                rule.sentiment,
                rule.min_influence,
                rule.noise,
                rule.addressed,
                rule._keyword_patterns(),
            )
            for rule in self
        ]

        def holds(mention, company, platform, intent, sentiment, min_influence, noise, addressed, patterns):
            if company and company != mention.company_id.id:
                return False
            if platform and platform != mention.platform:
                return False
            if intent and intent != mention.intent:
                return False
            if sentiment and sentiment != mention.sentiment_label:
                return False
            if min_influence and (mention.author_id.influence_score or 0) < min_influence:
                return False
            if noise and not mention.is_noise:
                return False
            if addressed and not mention.addressed:
                return False
            if not patterns:
                return True
            text = f"{mention.title or ''}\n{mention.text or ''}"
            return any(p.search(text) for p in patterns)

        def first_match(mention):
            return next((rule for rule, *condition in conditions if holds(mention, *condition)), self.browse())

        return first_match

    # ----------------------------------------------------------------- routing

    @api.model
    def _route_mentions(self, mentions):
        """Apply the first matching rule to each analysed mention of ``mentions``.

        An answer in an open ticket's conversation joins it first (whatever the
        rules would do with it); the others go where their rule says: ignored,
        kept, to a ticket (grouped by helpdesk.ticket) or to a lead (grouped by
        crm.lead)."""
        first_rule = self.search([])._matcher()
        Mention = self.env["social.crm.mention"]
        decisions = defaultdict(Mention.browse)
        to_route = mentions.filtered(lambda m: m.direction == "in" and m.state == "analysed")
        # the conversation comes first: an answer to a post of an open ticket (or a
        # follow-up of its author) joins it, whatever the rules would do with it
        to_route -= self.env["helpdesk.ticket"]._social_route_conversations(to_route)
        for mention in to_route:
            decisions[first_rule(mention)] |= mention
        tickets = defaultdict(Mention.browse)
        for rule, routed in decisions.items():
            if not rule:
                continue  # the note was written with the analysis (see social.crm.mention._process)
            if rule.action == "ignore":
                routed.write({"state": "ignored", "routing_rule_id": rule.id, "routing_note": rule.name})
            elif rule.action == "keep":
                routed.write({"routing_rule_id": rule.id, "routing_note": rule.name})
            elif rule.action == "ticket":
                tickets[rule] |= routed
            elif rule.action == "lead":
                self.env["crm.lead"]._social_route_mentions(routed, rule)
        if tickets:
            # one ticket per conversation; the open conversations were continued above
            self.env["helpdesk.ticket"]._social_route_mentions(tickets, conversations=False)

    def action_preview(self):
        """Dry run: what these rules would have done with recent mentions."""
        preview = self.env["social.crm.routing.preview"].create({"rule_ids": [(6, 0, self.ids or self.search([]).ids)]})
        preview.action_compute()
        return preview._action_open()
