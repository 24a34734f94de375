import datetime

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .counting import count_by
from .social_crm_author import SENTIMENT_LABELS, TREND_LABELS

HISTORY_MONTHS = 6  # months of sentiment shown on the contact


def _day(value):
    """The date of a read_group month (a datetime for datetime fields)."""
    return value.date() if isinstance(value, datetime.datetime) else value


class ResPartner(models.Model):
    _inherit = "res.partner"

    social_author_ids = fields.One2many("social.crm.author", "partner_id", string="Social Identities")
    social_mention_count = fields.Integer(compute="_compute_social_mention_count")
    social_influence = fields.Integer(
        "Social influence",
        compute="_compute_social_influence",
        help="Highest influence (0-100) of the contact's social identities.",
    )
    # The Social tab: sentiment over time and recent mentions
    social_sentiment_label = fields.Selection(
        SENTIMENT_LABELS, compute="_compute_social_summary", string="Sentiment of the last 30 days"
    )
    social_sentiment_trend_code = fields.Selection(TREND_LABELS, compute="_compute_social_summary", string="Trend")
    social_sentiment_trend = fields.Char(compute="_compute_social_summary", string="In figures")
    social_sentiment_history = fields.Html(
        compute="_compute_social_summary", string="Sentiment by month", sanitize=False
    )
    social_recent_mention_ids = fields.Many2many(
        "social.crm.mention", compute="_compute_social_summary", string="Recent mentions"
    )

    def _compute_social_influence(self):
        for partner in self:
            partner.social_influence = max(partner.social_author_ids.mapped("influence_score") or [0])

    def _compute_social_mention_count(self):
        counts = count_by(self.env["social.crm.mention"], "partner_id", self)
        for partner in self:
            partner.social_mention_count = counts.get(partner, 0)

    @api.depends("social_author_ids")
    def _compute_social_summary(self):
        Mention = self.env["social.crm.mention"]
        for partner in self:
            authors = partner.social_author_ids
            if not authors:
                partner.update(
                    {
                        "social_sentiment_label": False,
                        "social_sentiment_trend_code": False,
                        "social_sentiment_trend": False,
                        "social_sentiment_history": False,
                        "social_recent_mention_ids": False,
                    }
                )
                continue
            summary = authors._social_sentiment_summary()
            partner.social_sentiment_label = summary["label"]
            partner.social_sentiment_trend_code = summary["trend"]
            partner.social_sentiment_trend = summary["text"]
            domain = [("author_id", "in", authors.ids), ("direction", "=", "in")]
            partner.social_recent_mention_ids = Mention.search(domain, limit=10, order="posted_at desc")
            partner.social_sentiment_history = partner._social_sentiment_history(domain)

    def _social_sentiment_history(self, domain):
        """The contact's mentions and average sentiment per month, as an HTML table."""
        self.ensure_one()
        Mention = self.env["social.crm.mention"]
        start = fields.Date.today().replace(day=1) - relativedelta(months=HISTORY_MONTHS - 1)
        domain = domain + [("posted_at", ">=", start)]
        counts = {_day(month): count for month, count in Mention._read_group(domain, ["posted_at:month"], ["__count"])}
        scored = {
            _day(month): (count, average)
            for month, count, average in Mention._read_group(
                domain + [("sentiment_label", "in", ("positive", "neutral", "negative"))],
                ["posted_at:month"],
                ["__count", "sentiment_score:avg"],
            )
        }
        labels = dict(SENTIMENT_LABELS)
        rows = []
        for offset in range(HISTORY_MONTHS):
            month = start + relativedelta(months=offset)
            scored_count, average = scored.get(month, (0, None))
            label = self.env["social.crm.author"]._social_label(average) if scored_count else False
            rows.append(
                {
                    "month": month,
                    "count": counts.get(month, 0),
                    "scored": scored_count,
                    "average": average,
                    "label": label,
                    "label_text": labels.get(label, ""),
                    # -1..1 drawn as a bar from the middle: its width is half the absolute score
                    "bar": round(abs(average or 0) * 50),
                }
            )
        if not any(row["count"] for row in rows):
            return False
        return self.env["ir.qweb"]._render("social_crm.partner_sentiment_history", {"rows": rows})

    def action_view_social_mentions(self):
        self.ensure_one()
        return self.env["social.crm.mention"]._action_for("partner_id", self)
