from odoo import fields, models

from .counting import count_by

BEHAVIOURS = [
    ("positive_mention", "Positive mention"),
    ("share", "Share / repost"),
    ("answer", "Answered another customer"),
    ("review", "Review"),
    ("referral", "Referral that became a won deal"),
    ("manual", "Other (given by hand)"),
]


class SocialCrmAdvocacyProgram(models.Model):
    """A community advocacy program: what earns points, tiers, rewards, limits."""

    _name = "social.crm.advocacy.program"
    _description = "Advocacy Program"
    _inherit = ["mail.thread"]
    _order = "sequence, name"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Html()
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    rule_ids = fields.One2many("social.crm.advocacy.rule", "program_id", string="Points rules", copy=True)
    tier_ids = fields.One2many("social.crm.advocacy.tier", "program_id", string="Tiers", copy=True)
    reward_ids = fields.One2many("social.crm.advocacy.reward", "program_id", string="Rewards", copy=True)
    advocate_ids = fields.One2many("social.crm.advocate", "program_id", string="Advocates")
    auto_enroll = fields.Boolean(
        help="Enroll a known contact as a Candidate the first time one of their mentions earns points."
    )
    # Anti-farming
    max_points_per_day = fields.Integer(
        "Points per day (max)", default=50, help="Per advocate; 0: no limit. Points above it are not given."
    )
    duplicate_window_days = fields.Integer(
        "Duplicate window (days)",
        default=7,
        help="The same text posted again (on any network) within this many days earns nothing.",
    )
    min_followers = fields.Integer(
        "Minimum followers", help="Mentions from accounts with fewer followers earn nothing (0: no floor)."
    )
    approval_threshold = fields.Integer(
        "Approval above (points)",
        default=500,
        help="Redemptions of rewards costing more than this need a manager's approval.",
    )
    approver_id = fields.Many2one(
        "res.users",
        "Approver",
        domain=lambda self: [("groups_id", "in", self.env.ref("social_crm.group_social_crm_manager").ids)],
        help="Who is asked to approve redemptions (an activity). Empty: every Social CRM administrator.",
    )
    candidate_min_mentions = fields.Integer(
        "Suggest after (positive mentions)",
        default=2,
        help="Contacts with at least this many positive mentions in 90 days are suggested as candidates.",
    )
    advocate_count = fields.Integer(compute="_compute_counts")
    activity_count = fields.Integer(compute="_compute_counts")
    redemption_count = fields.Integer(compute="_compute_counts")

    def _compute_counts(self):
        for field, model in (
            ("advocate_count", "social.crm.advocate"),
            ("activity_count", "social.crm.advocacy.activity"),
            ("redemption_count", "social.crm.advocacy.redemption"),
        ):
            counts = count_by(self.env[model], "program_id", self)
            for program in self:
                program[field] = counts.get(program, 0)

    def _points_for(self, behaviour):
        self.ensure_one()
        rule = self.rule_ids.filtered(lambda r: r.active and r.behaviour == behaviour)[:1]
        return rule.points if rule else 0

    def _open(self, model, name, view_mode="kanban,list,form"):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": view_mode,
            "domain": [("program_id", "=", self.id)],
            "context": {"default_program_id": self.id},
        }

    def action_view_advocates(self):
        return self._open("social.crm.advocate", self.env._("Advocates"))

    def action_view_activities(self):
        return self._open("social.crm.advocacy.activity", self.env._("Advocacy activities"))

    def action_view_redemptions(self):
        return self._open("social.crm.advocacy.redemption", self.env._("Redemptions"), "list,form")

    def action_suggest_candidates(self):
        self.ensure_one()
        wizard = self.env["social.crm.advocacy.candidate"].create({"program_id": self.id})
        wizard.action_compute()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Candidate advocates"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }
