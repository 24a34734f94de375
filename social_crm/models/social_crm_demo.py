from datetime import timedelta

from odoo import api, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    @api.model
    def _social_demo_answer_times(self, answers):
        """Demo data only: the tickets of these mentions are dated when their
        mention arrived (plus ten minutes) and answered after the given hours.

        ``answers``: ``{mention xml id: hours, or None when not answered yet}``."""
        for xmlid, hours in answers.items():
            mention = self.env.ref(xmlid, raise_if_not_found=False)
            ticket = mention.ticket_id if mention else self.browse()
            if not ticket or mention.ticket_id.social_mention_id != mention:
                continue
            opened = mention.posted_at + timedelta(minutes=10)
            # create_date is the ORM's own: set in SQL, then read again
            self.env.cr.execute("UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", (opened, ticket.id))
            ticket.invalidate_recordset(["create_date"])
            vals = {
                "social_response_deadline": ticket.company_id._social_crm_response_deadline(ticket.priority, opened)
            }
            if hours is not None:
                vals["social_first_response_at"] = opened + timedelta(hours=hours)
            ticket.write(vals)
