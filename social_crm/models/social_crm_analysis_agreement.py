from odoo import fields, models, tools
from odoo.tools import SQL

from .social_crm_account import platform_selection
from .social_crm_mention_analysis import STAFF_SENTIMENTS
from .social_crm_routing_rule import INTENTS


class SocialCrmAnalysisAgreement(models.Model):
    """How often the analysis agreed with staff: one row per reviewed mention."""

    _name = "social.crm.analysis.agreement"
    _description = "Analysis agreement with staff"
    _auto = False
    _order = "reviewed_at desc"

    mention_id = fields.Many2one("social.crm.mention", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    platform = fields.Selection(platform_selection, readonly=True)
    language = fields.Char(readonly=True)
    intent = fields.Selection(INTENTS, readonly=True, help="The intent staff gave (or confirmed).")
    analysis_intent = fields.Selection(INTENTS, string="Analysed intent", readonly=True)
    analysis_sentiment_label = fields.Selection(
        [*STAFF_SENTIMENTS, ("not_scored", "Not scored")], string="Analysed sentiment", readonly=True
    )
    staff_sentiment = fields.Selection(STAFF_SENTIMENTS, string="Sentiment (staff)", readonly=True)
    reviewed_by_id = fields.Many2one("res.users", "Reviewed by", readonly=True)
    reviewed_at = fields.Datetime("Reviewed on", readonly=True)
    sentiment_agreement = fields.Float(
        "Sentiment agreement (%)",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="100 when the analysed sentiment is the one staff gave, 0 otherwise.",
    )
    intent_agreement = fields.Float(
        "Intent agreement (%)",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="100 when the analysed intent is the one staff gave, 0 otherwise.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %s AS (
                SELECT m.id, m.id AS mention_id, m.company_id, m.platform, COALESCE(m.language, 'und') AS language,
                       COALESCE(m.staff_intent, m.analysis_intent) AS intent,
                       m.analysis_intent, m.analysis_sentiment_label, m.staff_sentiment,
                       m.reviewed_by_id, m.reviewed_at,
                       CASE WHEN m.staff_sentiment IS NULL THEN NULL
                            WHEN m.staff_sentiment = m.analysis_sentiment_label THEN 100.0 ELSE 0.0 END
                           AS sentiment_agreement,
                       CASE WHEN m.staff_intent IS NULL THEN NULL
                            WHEN m.staff_intent = m.analysis_intent THEN 100.0 ELSE 0.0 END
                           AS intent_agreement
                  FROM social_crm_mention m
                 WHERE m.reviewed_at IS NOT NULL
            )""",
                SQL.identifier(self._table),
            )
        )
