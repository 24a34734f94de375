from odoo import fields, models


class MailTemplate(models.Model):
    _inherit = "mail.template"

    social_crm_saved_reply = fields.Boolean(
        "Saved social reply",
        help="Offered in the composer of social replies (Reply on the platform). Write it for a helpdesk "
        "ticket; object.social_author_name is the customer's name on the platform.",
    )
