from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

PERIODS = [("month", "This month"), ("quarter", "This quarter"), ("all", "All time")]


class SocialCrmAdvocate(models.Model):
    """A contact's membership in an advocacy program."""

    _name = "social.crm.advocate"
    _description = "Advocate"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "lifetime_points desc, id"
    _rec_name = "partner_id"

    program_id = fields.Many2one("social.crm.advocacy.program", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", "Contact", required=True, index=True, ondelete="cascade")
    image_128 = fields.Image(related="partner_id.image_128")
    # the contact's picture, or the initials avatar Odoo draws when it has none
    avatar_128 = fields.Image(related="partner_id.avatar_128")
    company_id = fields.Many2one(related="program_id.company_id", store=True)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    stage_id = fields.Many2one(
        "social.crm.advocacy.stage",
        tracking=True,
        index=True,
        group_expand="_read_group_stage_ids",
        default=lambda self: self.env["social.crm.advocacy.stage"].search([], limit=1),
    )
    advocacy_activity_ids = fields.One2many("social.crm.advocacy.activity", "advocate_id", string="Advocacy activities")
    redemption_ids = fields.One2many("social.crm.advocacy.redemption", "advocate_id", string="Redemptions")
    lifetime_points = fields.Integer(compute="_compute_points", store=True, aggregator="sum")
    redeemed_points = fields.Integer(compute="_compute_points", store=True)
    current_points = fields.Integer("Points to spend", compute="_compute_points", store=True)
    tier_id = fields.Many2one("social.crm.advocacy.tier", compute="_compute_tier", store=True)
    tier_color = fields.Integer("Tier colour", related="tier_id.color")
    last_activity_at = fields.Datetime(compute="_compute_points", store=True)
    influence = fields.Integer(related="partner_id.social_influence")
    positive_mentions = fields.Integer(compute="_compute_positive_mentions", string="Positive mentions (90 days)")
    # Leaderboard: the period is chosen by the search filters (context key leaderboard_period)
    period_points = fields.Integer(
        "Points in the period", compute="_compute_leaderboard", help="Points earned this month, quarter or ever."
    )
    period_rank = fields.Integer("Rank", compute="_compute_leaderboard", help="Place in the program for the period.")

    _sql_constraints = [
        ("partner_program_unique", "unique(program_id, partner_id)", "This contact is already in the program."),
    ]

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([])

    @api.depends(
        "advocacy_activity_ids.points", "advocacy_activity_ids.date", "redemption_ids.points", "redemption_ids.state"
    )
    def _compute_points(self):
        for advocate in self:
            earned = sum(advocate.advocacy_activity_ids.mapped("points"))
            spent = sum(
                advocate.redemption_ids.filtered(lambda r: r.state in ("requested", "approved", "delivered")).mapped(
                    "points"
                )
            )
            dates = advocate.advocacy_activity_ids.filtered("points").mapped("date")
            advocate.lifetime_points = earned
            advocate.redeemed_points = spent
            advocate.current_points = earned - spent
            advocate.last_activity_at = max(dates) if dates else False

    @api.depends("lifetime_points", "program_id.tier_ids.min_points")
    def _compute_tier(self):
        for advocate in self:
            points = advocate.lifetime_points
            tiers = advocate.program_id.tier_ids.filtered(lambda t, points=points: t.min_points <= points)
            advocate.tier_id = tiers.sorted("min_points")[-1:] if tiers else False

    def _compute_positive_mentions(self):
        since = fields.Datetime.subtract(fields.Datetime.now(), days=90)
        counts = dict(
            self.env["social.crm.mention"]._read_group(
                [
                    ("partner_id", "in", self.partner_id.ids),
                    ("posted_at", ">=", since),
                    "|",
                    ("intent", "=", "praise"),
                    ("sentiment_label", "=", "positive"),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for advocate in self:
            advocate.positive_mentions = counts.get(advocate.partner_id, 0)

    @api.model
    def _leaderboard_since(self):
        """Start of the leaderboard's period (``leaderboard_period`` in the
        context: month, quarter or all), or None for all time."""
        period = self.env.context.get("leaderboard_period") or "all"
        today = fields.Date.context_today(self)
        if period == "month":
            return fields.Datetime.to_datetime(today.replace(day=1))
        if period == "quarter":
            first = today.replace(day=1) - relativedelta(months=(today.month - 1) % 3)
            return fields.Datetime.to_datetime(first)
        return None

    def _period_points_sql(self, alias):
        since = self._leaderboard_since()
        condition = SQL(" AND a.date >= %s", since) if since else SQL()
        return SQL(
            "COALESCE((SELECT SUM(a.points) FROM social_crm_advocacy_activity a WHERE a.advocate_id = %s%s), 0)",
            SQL.identifier(alias, "id"),
            condition,
        )

    @api.depends_context("leaderboard_period")
    def _compute_leaderboard(self):
        """Points of the period and the place in the program (ties share a rank)."""
        real = self.filtered("id")
        ranks = {}
        if real:
            self.env.cr.execute(
                SQL(
                    """SELECT id, points, place FROM (
                           SELECT adv.id, %(points)s AS points,
                                  RANK() OVER (PARTITION BY adv.program_id ORDER BY %(points)s DESC) AS place
                             FROM social_crm_advocate adv
                            WHERE adv.active AND adv.program_id IN %(programs)s
                       ) board WHERE id IN %(ids)s""",
                    points=self._period_points_sql("adv"),
                    programs=tuple(real.program_id.ids),
                    ids=tuple(real.ids),
                )
            )
            ranks = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for advocate in self:
            advocate.period_points, advocate.period_rank = ranks.get(advocate.id, (0, 0))

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        # the leaderboard sorts by the points of the period, computed in SQL
        if field_name == "period_points":
            return SQL("%s %s %s", self._period_points_sql(alias), direction, nulls)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    def _advance_stage(self):
        """Move forward to the furthest stage whose threshold is reached."""
        stages = self.env["social.crm.advocacy.stage"].search([("auto_from_points", ">", 0)])
        for advocate in self:
            points = advocate.lifetime_points
            reached = stages.filtered(lambda s, points=points: s.auto_from_points <= points)
            target = reached.sorted(lambda s: (s.sequence, s.id))[-1:] if reached else False
            if target and (
                not advocate.stage_id
                or (target.sequence, target.id) > (advocate.stage_id.sequence, advocate.stage_id.id)
            ):
                advocate.stage_id = target

    def action_view_mentions(self):
        self.ensure_one()
        return self.env["social.crm.mention"]._action_for("partner_id", self.partner_id)

    def action_give_points(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Give points"),
            "res_model": "social.crm.advocacy.activity",
            "view_mode": "form",
            "target": "new",
            "context": {"default_advocate_id": self.id, "default_behaviour": "manual", "default_source": "manual"},
        }
