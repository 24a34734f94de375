from odoo import api, fields, models
from odoo.exceptions import UserError

ACTIONS = [
    ("assign", "Assign"),
    ("ignore", "Ignore"),
    ("ticket", "Create tickets"),
    ("lead", "Create leads"),
]


class SocialCrmMentionBulk(models.TransientModel):
    """What an agent does with several mentions at once (list > Actions), or
    with one (the mention's form): assign, ignore, make tickets or leads of
    them, whatever the routing rules did."""

    _name = "social.crm.mention.bulk"
    _description = "Act on social mentions"

    action = fields.Selection(ACTIONS, required=True, default="assign")
    mention_ids = fields.Many2many("social.crm.mention", string="Mentions", required=True)
    mention_count = fields.Integer(compute="_compute_summary")
    skipped_count = fields.Integer(compute="_compute_summary")
    user_id = fields.Many2one(
        "res.users", "Assign to", domain=[("share", "=", False)], default=lambda self: self.env.user
    )
    helpdesk_team_id = fields.Many2one("helpdesk.ticket.team", "Helpdesk team")
    crm_team_id = fields.Many2one("crm.team", "Sales team")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if "mention_ids" in fields_list and not values.get("mention_ids"):
            if context.get("active_model") == "social.crm.mention":
                ids = context.get("active_ids") or [context.get("active_id")]
                values["mention_ids"] = [fields.Command.set([i for i in ids if i])]
        if values.get("action") in ("ticket", "lead") and "user_id" in fields_list:
            values["user_id"] = False  # by default the team decides (round-robin, rule...)
        return values

    @api.depends("action", "mention_ids")
    def _compute_summary(self):
        for wizard in self:
            todo = wizard._todo()
            wizard.mention_count = len(todo)
            wizard.skipped_count = len(wizard.mention_ids) - len(todo)

    def _todo(self):
        """The mentions the action applies to: received ones, not yet a ticket
        (or a lead) for those actions."""
        mentions = self.mention_ids.filtered(lambda m: m.direction == "in")
        if self.action == "ticket":
            return mentions.filtered(lambda m: not m.ticket_id)
        if self.action == "lead":
            return mentions.filtered(lambda m: not m.lead_id)
        return mentions

    def action_apply(self):
        self.ensure_one()
        mentions = self._todo()
        if not mentions:
            raise UserError(self.env._("Nothing to do: these mentions are already handled that way."))
        mentions.check_access("write")
        method = getattr(self, f"_apply_{self.action}")
        return method(mentions)

    def _apply_assign(self, mentions):
        mentions.write({"user_id": self.user_id.id})
        return {"type": "ir.actions.act_window_close"}

    def _apply_ignore(self, mentions):
        mentions.action_ignore()
        return {"type": "ir.actions.act_window_close"}

    def _analysed(self, mentions):
        """Mentions not analysed yet are analysed first (language, sentiment,
        intent feed the priority), as the processing cron would."""
        new = mentions.filtered(lambda m: m.state == "new")
        if new:
            new.sudo()._analyze()
        return mentions

    def _apply_ticket(self, mentions):
        # by hand, a Social CRM user without helpdesk rights makes no ticket
        self.env["helpdesk.ticket"].check_access("create")
        mentions = self._analysed(mentions)
        rule = self.env["social.crm.routing.rule"]
        self.env["helpdesk.ticket"]._social_route_mentions(
            {rule: mentions.sudo()}, team=self.helpdesk_team_id.sudo(), user=self.user_id.sudo()
        )
        return self._open(mentions.ticket_id, "helpdesk.ticket")

    def _apply_lead(self, mentions):
        self.env["crm.lead"].check_access("create")
        mentions = self._analysed(mentions)
        rule = self.env["social.crm.routing.rule"]
        before = mentions.lead_id
        mentions.sudo()._route_to_leads(rule)
        leads = mentions.lead_id
        created = (leads - before).sudo()
        # the new leads go to the team and salesperson chosen here
        vals = {}
        if self.crm_team_id:
            vals["team_id"] = self.crm_team_id.id
        if self.user_id:
            vals["user_id"] = self.user_id.id
        if vals and created:
            created.write(vals)
        return self._open(leads, "crm.lead")

    def _open(self, records, model):
        if len(records) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": model,
                "res_id": records.id,
                "views": [(False, "form")],
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Created from mentions"),
            "res_model": model,
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", records.ids)],
        }
