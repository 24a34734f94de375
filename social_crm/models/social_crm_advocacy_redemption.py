from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# changed only by the checked actions below (with sudo, after their checks), never by a
# plain write: otherwise write({"state": "approved"}) would skip the approval
PROTECTED_FIELDS = {"state", "points", "advocate_id", "reward_id"}


class SocialCrmAdvocacyRedemption(models.Model):
    """An advocate spending points on a reward."""

    _name = "social.crm.advocacy.redemption"
    _description = "Reward redemption"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"

    advocate_id = fields.Many2one("social.crm.advocate", required=True, ondelete="cascade", index=True)
    program_id = fields.Many2one(related="advocate_id.program_id", store=True)
    partner_id = fields.Many2one(related="advocate_id.partner_id", store=True)
    company_id = fields.Many2one(related="advocate_id.company_id", store=True, index=True)
    reward_id = fields.Many2one("social.crm.advocacy.reward", required=True, domain="[('program_id', '=', program_id)]")
    points = fields.Integer(readonly=True)
    state = fields.Selection(
        [
            ("requested", "Waiting for approval"),
            ("approved", "Approved"),
            ("delivered", "Delivered"),
            ("cancelled", "Cancelled"),
        ],
        default="requested",
        required=True,
        readonly=True,
        tracking=True,
    )
    note = fields.Text()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            reward = self.env["social.crm.advocacy.reward"].browse(vals["reward_id"])
            advocate = self.env["social.crm.advocate"].browse(vals["advocate_id"])
            if reward.program_id != advocate.program_id:
                raise ValidationError(self.env._("The reward belongs to another program."))
            if advocate.current_points < reward.points_cost:
                raise UserError(
                    self.env._(
                        "%(who)s has %(have)s points; %(reward)s costs %(cost)s.",
                        who=advocate.partner_id.name,
                        have=advocate.current_points,
                        reward=reward.name,
                        cost=reward.points_cost,
                    )
                )
            if reward.stock == 0:
                raise UserError(self.env._("%s is out of stock.", reward.name))
            vals["points"] = reward.points_cost
            vals["state"] = "requested" if reward.needs_approval else "approved"
        redemptions = super().create(vals_list)
        for redemption in redemptions.filtered(lambda r: r.reward_id.stock > 0):
            redemption.reward_id.sudo().stock -= 1
        redemptions.filtered(lambda r: r.state == "requested")._ask_approval()
        return redemptions

    def _approvers(self):
        """The program's approver, or every Social CRM administrator of the company."""
        self.ensure_one()
        if self.program_id.approver_id:
            return self.program_id.approver_id
        managers = self.env.ref("social_crm.group_social_crm_manager").sudo().users
        return managers.filtered(
            lambda u: not u.share
            and u.active
            and u.id != self.env.ref("base.user_root").id
            and self.company_id in u.company_ids
        )

    def _ask_approval(self):
        """An activity for each approver: a redemption waits for them."""
        for redemption in self:
            for user in redemption._approvers():
                redemption.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=self.env._("Approve a reward redemption"),
                    note=self.env._(
                        "%(who)s asks for %(reward)s (%(points)s points).",
                        who=redemption.partner_id.name,
                        reward=redemption.reward_id.name,
                        points=redemption.points,
                    ),
                )

    def write(self, vals):
        if not self.env.su and PROTECTED_FIELDS & set(vals):
            raise UserError(
                self.env._(
                    "A redemption is approved, delivered or cancelled with its buttons; "
                    "its advocate, reward and points do not change."
                )
            )
        return super().write(vals)

    def action_approve(self):
        if not self.env.user.has_group("social_crm.group_social_crm_manager"):
            raise UserError(self.env._("Only Social CRM administrators approve rewards."))
        self.check_access("write")
        requested = self.filtered(lambda r: r.state == "requested")
        requested.sudo().write({"state": "approved"})
        requested.activity_feedback(["mail.mail_activity_data_todo"], feedback=self.env._("Approved"))

    def action_deliver(self):
        self.check_access("write")
        self.filtered(lambda r: r.state == "approved").sudo().write({"state": "delivered"})

    def action_cancel(self):
        self.check_access("write")
        for redemption in self.filtered(lambda r: r.state in ("requested", "approved")):
            if redemption.reward_id.stock >= 0:
                redemption.reward_id.sudo().stock += 1
            redemption.sudo().state = "cancelled"
            redemption.activity_unlink(["mail.mail_activity_data_todo"])
