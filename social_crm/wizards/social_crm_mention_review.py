from odoo import api, fields, models

from ..models.social_crm_mention_analysis import STAFF_SENTIMENTS
from ..models.social_crm_routing_rule import INTENTS


class SocialCrmMentionReview(models.TransientModel):
    """A person's sentiment and intent for a mention: saved as is, it confirms the analysis;
    changed, it corrects it (the agreement report counts both)."""

    _name = "social.crm.mention.review"
    _description = "Review a mention's analysis"

    mention_id = fields.Many2one("social.crm.mention", required=True, ondelete="cascade")
    text = fields.Text(related="mention_id.text")
    language = fields.Char(related="mention_id.language")
    analysis_sentiment_label = fields.Selection(related="mention_id.analysis_sentiment_label")
    sentiment_drivers = fields.Char(related="mention_id.sentiment_drivers")
    analysis_intent = fields.Selection(related="mention_id.analysis_intent")
    intent_evidence = fields.Char(related="mention_id.intent_evidence")
    sentiment = fields.Selection(STAFF_SENTIMENTS, help="Empty: the analysis' own sentiment.")
    intent = fields.Selection(INTENTS, help="Empty: the analysis' own intent.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        mention = self.env["social.crm.mention"].browse(values.get("mention_id") or [])
        if mention:
            current = mention.staff_sentiment or mention.sentiment_label
            values.setdefault("sentiment", current if current in dict(STAFF_SENTIMENTS) else False)
            values.setdefault("intent", mention.staff_intent or mention.intent or False)
        return values

    def action_apply(self):
        self.ensure_one()
        self.mention_id._apply_review(self.sentiment, self.intent)
        return {"type": "ir.actions.act_window_close"}
