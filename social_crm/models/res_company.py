import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..text_analysis import available_languages

SLA_FIELDS = (
    "social_crm_sla_hours_urgent",
    "social_crm_sla_hours_high",
    "social_crm_sla_hours_medium",
    "social_crm_sla_hours_low",
)


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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("social_crm_languages"):
                vals["social_crm_languages"] = self._social_crm_normalize_languages(vals["social_crm_languages"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("social_crm_languages"):
            vals = dict(vals, social_crm_languages=self._social_crm_normalize_languages(vals["social_crm_languages"]))
        return super().write(vals)

    @api.constrains(*SLA_FIELDS)
    def _check_social_crm_sla_hours(self):
        for company in self:
            if any(company[name] <= 0 for name in SLA_FIELDS):
                raise ValidationError(
                    self.env._("The answer deadlines of social tickets must be more than 0 hours (e.g. 1, 4, 8, 24).")
                )

    @api.model
    def _social_crm_known_languages(self):
        """ISO 639-1 codes the language detection knows, and those of the installed languages."""
        installed = {code.split("_")[0].split("@")[0].lower() for code, _name in self.env["res.lang"].get_installed()}
        return set(available_languages()) | installed

    @api.model
    def _social_crm_normalize_languages(self, value):
        """``"German, FR, pt_BR"`` -> ``"de,fr,pt"``: codes and names of languages
        become ISO 639-1 codes; anything else is refused with the list of what is not known."""
        known = self._social_crm_known_languages()
        Lang = self.env["res.lang"].with_context(active_test=False)
        codes, unknown = [], []
        for token in filter(None, (t.strip() for t in re.split(r"[,;\s]+", value or ""))):
            code = token.lower().replace("-", "_").split("_")[0]
            if code not in known:
                lang = Lang.search(
                    [
                        "|",
                        "|",
                        ("name", "=ilike", token),
                        ("name", "=ilike", f"{token} /%"),
                        ("name", "=ilike", f"%/ {token}"),
                    ],
                    limit=1,
                )
                code = (lang.iso_code or lang.code or "").lower().replace("-", "_").split("_")[0] if lang else ""
            if code in known:
                if code not in codes:
                    codes.append(code)
            else:
                unknown.append(token)
        if unknown:
            raise ValidationError(
                self.env._(
                    "Unknown language(s): %(unknown)s. Use ISO 639-1 codes such as de, fr, es (or language names "
                    "such as German); known codes: %(known)s.",
                    unknown=", ".join(unknown),
                    known=", ".join(sorted(known)),
                )
            )
        return ",".join(codes) or False

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

    # the company's own developer apps, used by the accounts' *Connect* buttons
    social_crm_reddit_client_id = fields.Char("Reddit client id", groups="base.group_system")
    social_crm_reddit_client_secret = fields.Char("Reddit client secret", groups="base.group_system")
    social_crm_x_client_id = fields.Char("X client id", groups="base.group_system")
    social_crm_x_client_secret = fields.Char("X client secret", groups="base.group_system")
    social_crm_google_client_id = fields.Char("Google client id", groups="base.group_system")
    social_crm_google_client_secret = fields.Char("Google client secret", groups="base.group_system")
    social_crm_meta_app_id = fields.Char("Meta app id", groups="base.group_system")
    social_crm_meta_app_secret = fields.Char("Meta app secret", groups="base.group_system")
