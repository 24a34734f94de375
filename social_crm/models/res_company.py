from datetime import timedelta

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    social_crm_languages = fields.Char(
        "Expected languages",
        help="Comma-separated ISO 639-1 codes (e.g. 'de,fr,es') of the languages your mentions are "
        "written in. English is always included. Empty: the installed languages of the database. "
        "Restricting the set makes language detection faster and more accurate.",
    )
    social_crm_identity_policy = fields.Selection(
        [
            ("review", "Queue for review"),
            ("create", "Create a contact"),
            ("none", "Do nothing"),
        ],
        "Unknown authors",
        default="review",
        required=True,
        help="What to do with an author who matches no contact by handle, profile URL, email or website.",
    )
    social_crm_sla_hours_urgent = fields.Float("Very high priority: answer within (hours)", default=1.0)
    social_crm_sla_hours_high = fields.Float("High priority: answer within (hours)", default=4.0)
    social_crm_sla_hours_medium = fields.Float("Medium priority: answer within (hours)", default=8.0)
    social_crm_sla_hours_low = fields.Float("Low priority: answer within (hours)", default=24.0)
    # resolution targets are optional: 0 means none
    social_crm_resolution_hours_urgent = fields.Float("Very high priority: resolve within (hours)")
    social_crm_resolution_hours_high = fields.Float("High priority: resolve within (hours)")
    social_crm_resolution_hours_medium = fields.Float("Medium priority: resolve within (hours)")
    social_crm_resolution_hours_low = fields.Float("Low priority: resolve within (hours)")
    social_crm_followup_hours = fields.Float(
        "Follow-ups join the ticket within (hours)",
        default=48.0,
        help="A new post of the same author in the same thread (or under the same subject) joins the author's "
        "open ticket when it comes within this many hours of their previous one. 0: only answers join.",
    )
    social_crm_helpdesk_team_id = fields.Many2one("helpdesk.ticket.team", "Default helpdesk team for social tickets")
    social_crm_crm_team_id = fields.Many2one("crm.team", "Default sales team for social leads")

    def _social_crm_language_codes(self):
        """The expected languages (ISO 639-1) of this company's mentions."""
        self.ensure_one()
        if self.social_crm_languages:
            codes = [c.strip().lower() for c in self.social_crm_languages.split(",") if c.strip()]
        else:
            codes = [code.split("_")[0] for code, _name in self.env["res.lang"].get_installed()]
        return sorted(set(codes) | {"en"})

    def _social_crm_response_deadline(self, priority, start):
        """When the first answer to a social ticket of ``priority`` is due."""
        return start + timedelta(hours=self._social_crm_sla_hours(priority))

    def _social_crm_sla_hours(self, priority):
        self.ensure_one()
        return {
            "3": self.social_crm_sla_hours_urgent,
            "2": self.social_crm_sla_hours_high,
            "1": self.social_crm_sla_hours_medium,
        }.get(priority, self.social_crm_sla_hours_low)

    def _social_crm_resolution_deadline(self, priority, start):
        """When a social ticket of ``priority`` must be solved; False without a target."""
        self.ensure_one()
        hours = {
            "3": self.social_crm_resolution_hours_urgent,
            "2": self.social_crm_resolution_hours_high,
            "1": self.social_crm_resolution_hours_medium,
        }.get(priority, self.social_crm_resolution_hours_low)
        return start + timedelta(hours=hours) if hours and hours > 0 else False
