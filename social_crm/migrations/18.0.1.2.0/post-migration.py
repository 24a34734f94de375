"""18.0.1.2.0: the SLA of social tickets counts from the customer's post and
keeps its breaches.

Existing tickets get their clock start (the source post), their next
escalation (the old deadline, for unanswered ones) and the breaches already
known: answered after the deadline, or escalated (the old escalation moved the
deadline, so the original one is lost; an escalation means it was missed)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """UPDATE helpdesk_ticket AS t
              SET social_sla_start = LEAST(COALESCE(m.posted_at, t.create_date), t.create_date)
             FROM social_crm_mention AS m
            WHERE m.id = t.social_mention_id AND t.social_sla_start IS NULL"""
    )
    cr.execute(
        """UPDATE helpdesk_ticket
              SET social_escalate_at = social_response_deadline
            WHERE social_response_deadline IS NOT NULL
              AND social_first_response_at IS NULL
              AND social_escalate_at IS NULL"""
    )
    cr.execute(
        """UPDATE helpdesk_ticket
              SET social_sla_breached = TRUE
            WHERE social_response_deadline IS NOT NULL
              AND (social_escalation_level > 0 OR social_first_response_at > social_response_deadline)"""
    )
