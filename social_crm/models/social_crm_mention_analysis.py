import logging
import threading

from odoo import api, fields, models
from odoo.service.model import retrying
from odoo.tools import SQL

from ..text_analysis import ANALYZER_VERSION
from . import config_params
from . import social_crm_messages as messages
from .social_crm_routing_rule import INTENTS

_logger = logging.getLogger(__name__)

REANALYSE_BATCH = 1000  # mentions re-analysed per transaction (default of the system parameter)
STAFF_SENTIMENTS = [("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")]
# the score a staff correction counts for when the analysis' own score has the other sign
# (routing, priority and averages then read the corrected sentiment)
CORRECTED_SCORES = {"positive": 0.5, "neutral": 0.0, "negative": -0.5}


def corrected_score(staff, label, score):
    """The effective score of a mention whose sentiment staff set to ``staff``: the analysis'
    own score when it agrees (same label), else the corrected label's nominal score."""
    if not staff or staff == label:
        return score
    return CORRECTED_SCORES[staff]


class SocialCrmMention(models.Model):
    """What the analyser said, what drove it, and what staff said."""

    _inherit = "social.crm.mention"

    sentiment_drivers = fields.Char(
        "Why this sentiment",
        readonly=True,
        help="The words and phrases that drove the sentiment, with their weights (VADER scale, -4 to +4).",
    )
    analysis_sentiment_label = fields.Selection(
        [*STAFF_SENTIMENTS, ("not_scored", "Not scored")], string="Analysed sentiment", readonly=True
    )
    analysis_sentiment_score = fields.Float("Analysed score", digits=(3, 3), readonly=True, aggregator="avg")
    analysis_intent = fields.Selection(INTENTS, string="Analysed intent", readonly=True)
    staff_sentiment = fields.Selection(
        STAFF_SENTIMENTS,
        string="Sentiment (staff)",
        readonly=True,
        help="Set by a person in Review analysis; kept when the mention is analysed again.",
    )
    staff_intent = fields.Selection(INTENTS, string="Intent (staff)", readonly=True)
    reviewed_by_id = fields.Many2one("res.users", "Reviewed by", readonly=True, ondelete="set null")
    reviewed_at = fields.Datetime("Reviewed on", readonly=True)

    @api.model
    def _corrected_score_sql(self):
        """SQL of :func:`corrected_score` for the bulk UPDATE of ``_analyze`` (``m``: the
        mention, ``v``: the new analysis)."""
        cases = SQL(" ").join(
            SQL("WHEN m.staff_sentiment = %s THEN %s", staff, score) for staff, score in CORRECTED_SCORES.items()
        )
        return SQL(
            "CASE WHEN m.staff_sentiment IS NULL OR m.staff_sentiment = v.label THEN v.score %s END",
            cases,
        )

    def _sentiment_reason(self):
        """What the ticket's priority explanation says drove the sentiment."""
        self.ensure_one()
        if self.staff_sentiment and self.staff_sentiment != self.analysis_sentiment_label:
            return self.env._("set by staff")
        return self.sentiment_drivers or ""

    # -------------------------------------------------------------- corrections

    def action_review_analysis(self):
        """Open the review of this mention's sentiment and intent."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Review analysis"),
            "res_model": "social.crm.mention.review",
            "view_mode": "form",
            "target": "new",
            "context": {"default_mention_id": self.id},
        }

    def _apply_review(self, sentiment, intent):
        """Staff's sentiment and intent: kept (on re-analysis too), and from now on the
        mention's effective values, which routing, priority and reports read. An empty value
        gives the analysis' own back. A mention that was not routed is routed again; the
        priority of its open ticket is computed again."""
        self.ensure_one()
        mention = self.sudo()
        if not mention.analysis_intent:  # analysed before analyses were kept apart from corrections
            mention._keep_analysis()
        analysed = mention.analysis_sentiment_label
        reviewed = bool(sentiment or intent)  # both emptied: the review is withdrawn
        vals = {
            "staff_sentiment": sentiment or False,
            "staff_intent": intent or False,
            "reviewed_by_id": self.env.uid if reviewed else False,
            "reviewed_at": fields.Datetime.now() if reviewed else False,
            "sentiment_label": sentiment or analysed,
            "intent": intent or mention.analysis_intent,
        }
        mention.write(vals)
        score = mention.analysis_sentiment_score if analysed not in (False, "not_scored") else None
        # SQL: the ORM would store 0.0 for a score that must stay NULL ("Not scored")
        self.env.cr.execute(
            SQL(
                "UPDATE social_crm_mention SET sentiment_score = %s WHERE id = %s",
                corrected_score(sentiment, analysed, score),
                self.id,
            )
        )
        self.invalidate_recordset(["sentiment_score"])
        self._route_again()
        ticket = self.ticket_id.sudo()
        if ticket and ticket.social_mention_id == self and not ticket.closed:
            priority, points, breakdown = self._compute_ticket_priority()
            ticket.write(
                {
                    "priority": priority,
                    "social_priority_score": points,
                    "social_priority_reasons": messages.stored_reasons(breakdown),
                }
            )

    def _keep_analysis(self):
        """Copy the effective sentiment and intent as the analysis' own (mentions analysed
        before the two were stored apart)."""
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                """UPDATE social_crm_mention
                      SET analysis_sentiment_label = sentiment_label, analysis_sentiment_score = sentiment_score,
                          analysis_intent = intent
                    WHERE id IN %s AND analysis_intent IS NULL""",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["analysis_sentiment_label", "analysis_sentiment_score", "analysis_intent"])

    def _route_again(self):
        """Route the mentions that are neither routed nor ignored by hand again: one that now
        reads as a complaint gets its ticket. Routed mentions keep their ticket or lead."""
        again = self.filtered(
            lambda m: m.direction == "in"
            and not m.ticket_id
            and not m.lead_id
            and (m.state == "analysed" or (m.state == "ignored" and m.routing_rule_id.action == "ignore"))
        )
        if not again:
            return
        again.filtered(lambda m: m.state == "ignored").sudo().write({"state": "analysed"})
        again.sudo()._route()

    # -------------------------------------------------------------- re-analysis

    @api.model
    def _reanalysis_domain(self):
        return [("state", "!=", "new"), ("direction", "=", "in"), ("analysis_version", "!=", ANALYZER_VERSION)]

    @api.model
    def _cron_reanalyse_mentions(self):
        """Scheduled action: after a new analyzer version, analyse the stored mentions again,
        one batch per transaction. Staff corrections are kept; routed mentions keep their
        ticket or lead; a mention that was not routed and now matches a rule is routed."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)

        size = config_params.int_param(self.env, config_params.REANALYSE_BATCH, REANALYSE_BATCH, minimum=1)

        def reanalyse_batch():
            mentions = self.search(self._reanalysis_domain(), limit=size, order="id")
            mentions._analyze()
            mentions._route_again()
            return len(mentions)

        done = retrying(reanalyse_batch, self.env) if auto_commit else reanalyse_batch()
        if done:
            _logger.info("Social CRM: %d mentions analysed again (analyzer %s)", done, ANALYZER_VERSION)
            self.env["ir.cron"]._notify_progress(done=done, remaining=self.search_count(self._reanalysis_domain()))
