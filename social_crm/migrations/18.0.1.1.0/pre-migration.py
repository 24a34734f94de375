"""18.0.1.1.0: fewer indexes on social_crm_mention (it is written three times per mention).

Odoo keeps an index it no longer expects and does not turn a full index into a
NOT NULL one, so the old ones are dropped here; Odoo creates the new ones."""

from odoo.tools import SQL

OBSOLETE = (
    "platform",
    "external_id",
    "company_id",
    "language",
    "sentiment_label",
    "state",
    "intent",
    "direction",
    # recreated as partial (NOT NULL) indexes
    "stream_id",
    "partner_id",
    "thread_ref",
    "ticket_id",
    "lead_id",
)


def migrate(cr, version):
    if not version:
        return
    for column in OBSOLETE:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(f"social_crm_mention__{column}_index")))
