from odoo import api, fields, models

from .counting import count_by


class SocialCrmAdvocacyReward(models.Model):
    _name = "social.crm.advocacy.reward"
    _description = "Advocacy reward"
    _order = "program_id, points_cost, id"

    program_id = fields.Many2one("social.crm.advocacy.program", required=True, ondelete="cascade", index=True)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    description = fields.Text()
    image_128 = fields.Image(max_width=128, max_height=128)
    points_cost = fields.Integer("Cost (points)", required=True)
    stock = fields.Integer(help="Units left; -1: unlimited.", default=-1)
    stock_unlimited = fields.Boolean(
        "Unlimited stock", compute="_compute_stock_display", inverse="_inverse_stock_unlimited"
    )
    stock_display = fields.Char("In stock", compute="_compute_stock_display")
    needs_approval = fields.Boolean(compute="_compute_needs_approval")
    redemption_count = fields.Integer(compute="_compute_redemption_count")

    _sql_constraints = [("cost_positive", "CHECK(points_cost > 0)", "A reward costs at least one point.")]

    @api.depends("stock")
    def _compute_stock_display(self):
        for reward in self:
            reward.stock_unlimited = reward.stock < 0
            reward.stock_display = (
                self.env._("Unlimited")
                if reward.stock < 0
                else self.env._("Out of stock")
                if reward.stock == 0
                else self.env._("%(count)s left", count=reward.stock)
            )

    def _inverse_stock_unlimited(self):
        for reward in self:
            if reward.stock_unlimited:
                reward.stock = -1
            elif reward.stock < 0:
                reward.stock = 0

    @api.depends("points_cost", "program_id.approval_threshold")
    def _compute_needs_approval(self):
        for reward in self:
            threshold = reward.program_id.approval_threshold
            reward.needs_approval = bool(threshold) and reward.points_cost > threshold

    def _compute_redemption_count(self):
        counts = count_by(self.env["social.crm.advocacy.redemption"], "reward_id", self, [("state", "!=", "cancelled")])
        for reward in self:
            reward.redemption_count = counts.get(reward, 0)
