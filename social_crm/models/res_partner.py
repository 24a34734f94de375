from odoo import fields, models

from .counting import count_by


class ResPartner(models.Model):
    _inherit = "res.partner"

    social_author_ids = fields.One2many("social.crm.author", "partner_id", string="Social Identities")
    social_mention_count = fields.Integer(compute="_compute_social_mention_count")
    social_influence = fields.Integer(
        "Social influence",
        compute="_compute_social_influence",
        help="Highest influence (0-100) of the contact's social identities.",
    )

    def _compute_social_influence(self):
        for partner in self:
            partner.social_influence = max(partner.social_author_ids.mapped("influence_score") or [0])

    def _compute_social_mention_count(self):
        counts = count_by(self.env["social.crm.mention"], "partner_id", self)
        for partner in self:
            partner.social_mention_count = counts.get(partner, 0)

    def action_view_social_mentions(self):
        self.ensure_one()
        return self.env["social.crm.mention"]._action_for("partner_id", self)
