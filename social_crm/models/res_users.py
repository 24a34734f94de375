import re

from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    social_crm_languages = fields.Char(
        "Languages spoken",
        help="ISO 639-1 codes, comma separated (e.g. 'en,de'): social tickets in these languages can be "
        "assigned to this user by teams that assign by language.",
    )

    def _social_crm_language_codes(self):
        """The languages this user answers in: the ones given, else the interface language."""
        self.ensure_one()
        codes = {c.lower() for c in re.split(r"[\s,;]+", self.social_crm_languages or "") if c}
        return codes or {(self.lang or "en").split("_")[0]}
