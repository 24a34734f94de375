from odoo import fields, models


class SocialCrmRoutingPreview(models.TransientModel):
    """Dry run of routing rules on stored mentions: nothing is created."""

    _name = "social.crm.routing.preview"
    _description = "Routing rules dry run"

    rule_ids = fields.Many2many("social.crm.routing.rule", string="Rules")
    limit = fields.Integer("Last N mentions", default=200, required=True)
    line_ids = fields.One2many("social.crm.routing.preview.line", "preview_id", readonly=True)
    ticket_count = fields.Integer(readonly=True)
    lead_count = fields.Integer(readonly=True)
    ignore_count = fields.Integer(readonly=True)
    unmatched_count = fields.Integer(readonly=True)

    def action_compute(self):
        self.ensure_one()
        mentions = self.env["social.crm.mention"].search(
            [("direction", "=", "in"), ("analyzed_at", "!=", False)], limit=self.limit, order="id desc"
        )
        rules = self.rule_ids.filtered("active").sorted(lambda r: (r.sequence, r.id))
        lines = []
        counts = {"ticket": 0, "lead": 0, "ignore": 0, "keep": 0, "none": 0}
        first_rule = rules._matcher()
        for mention in mentions:
            rule = first_rule(mention)
            action = rule.action if rule else "none"
            counts[action] += 1
            priority = mention._compute_ticket_priority()[0] if action == "ticket" else False
            lines.append({"mention_id": mention.id, "rule_id": rule.id, "action": action, "priority": priority})
        self.line_ids.unlink()
        self.write(
            {
                "line_ids": [(0, 0, vals) for vals in lines],
                "ticket_count": counts["ticket"],
                "lead_count": counts["lead"],
                "ignore_count": counts["ignore"],
                "unmatched_count": counts["none"] + counts["keep"],
            }
        )
        return self._action_open()

    def _action_open(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Routing dry run"),
        }


class SocialCrmRoutingPreviewLine(models.TransientModel):
    _name = "social.crm.routing.preview.line"
    _description = "Routing rules dry run line"
    _order = "id"

    preview_id = fields.Many2one("social.crm.routing.preview", required=True, ondelete="cascade")
    mention_id = fields.Many2one("social.crm.mention", readonly=True)
    text = fields.Text(related="mention_id.text")
    intent = fields.Selection(related="mention_id.intent")
    sentiment_label = fields.Selection(related="mention_id.sentiment_label")
    rule_id = fields.Many2one("social.crm.routing.rule", readonly=True)
    action = fields.Selection(
        [("ticket", "Ticket"), ("lead", "Lead"), ("ignore", "Ignore"), ("keep", "Keep"), ("none", "No rule")],
        readonly=True,
    )
    priority = fields.Selection([("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")], readonly=True)
