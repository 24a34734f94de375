"""18.0.1.2.0.

1. Social identities belong to a company.

Before, one identity per platform served every company (and carried one
company's contact into the others). Now each company has its own: an identity
heard by one company gets that company; one heard by several is copied for
each other company, and those companies' mentions (and the leads they started)
move to their copy. A copy keeps the contact only where the contact may be
used (a contact of no company, or of that company); otherwise it is matched
again by the next processing run.

Webhook deliveries are now stored as the account's webhook user: existing
accounts get the user who created them.

2. Mastodon conversations keyed the way the connector keys them now (issue 13).

Replies stored before named their parent, and their thread, by the bare
instance-local ``in_reply_to_id``, which no stored mention answers to. They now
name their parent by its external id (its URI) when it is stored, otherwise by
the instance key ``<base_url>/api/v1/statuses/<id>`` that ``local_ref`` holds;
their thread is the root of the conversation (empty when unknown). Tickets take
the conversation key of their first mention again.

3. The SLA of social tickets counts from the customer's post and
keeps its breaches.

Existing tickets get their clock start (the source post), their next
escalation (the old deadline, for unanswered ones) and the breaches already
known: answered after the deadline, or escalated (the old escalation moved the
deadline, so the original one is lost; an escalation means it was missed).

5. The reasons of a social ticket's priority are stored as components and shown
in the reader's language; the English text of existing tickets is kept as one
component (code ``text``).

4. The pull cron runs on the account model (it selects and locks accounts).

The cron record is ``noupdate``: an upgrade would leave it on the stream
model, so it is moved here, under the same xml id (``model._cron_pull_mentions()``
on the stream still works, for a cron copied by hand).
"""

import logging
import re

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)
BARE_ID = re.compile(r"^\d+$")


def _stale(ref):
    return bool(ref and BARE_ID.match(ref))


def migrate(cr, version):
    if not version:
        return
    _split_identities(cr)
    _rekey_mastodon(cr)
    _sla_from_the_post(cr)
    _pull_cron_on_the_account(cr)
    _priority_reasons_from_the_text(cr)


def _split_identities(cr):
    cr.execute(
        SQL(
            """UPDATE social_crm_account
                  SET webhook_user_id = COALESCE(create_uid, (SELECT id FROM res_users ORDER BY id LIMIT 1))
                WHERE webhook_user_id IS NULL"""
        )
    )
    # heard by one company (or by none: then the company of its contact, if any)
    cr.execute(
        SQL(
            """UPDATE social_crm_author a
                  SET company_id = COALESCE(
                        (SELECT MIN(m.company_id) FROM social_crm_mention m WHERE m.author_id = a.id),
                        (SELECT p.company_id FROM res_partner p WHERE p.id = a.partner_id))
                WHERE a.company_id IS NULL"""
        )
    )
    # heard by several companies: a copy for each other company
    cr.execute(
        SQL(
            """SELECT DISTINCT a.id, m.company_id
                 FROM social_crm_author a
                 JOIN social_crm_mention m ON m.author_id = a.id
                WHERE m.company_id IS NOT NULL AND m.company_id != a.company_id"""
        )
    )
    for author_id, company_id in cr.fetchall():
        cr.execute(
            SQL(
                """INSERT INTO social_crm_author (
                       platform, external_key, handle, name, profile_url, avatar_url, followers_count,
                       verified, bio, website, company_id, partner_id, review_state, match_method,
                       match_evidence, influence_score, influence_breakdown, last_seen_at,
                       create_uid, create_date, write_uid, write_date)
                   SELECT a.platform, a.external_key, a.handle, a.name, a.profile_url, a.avatar_url,
                          a.followers_count, a.verified, a.bio, a.website, %(company)s,
                          CASE WHEN p.company_id IS NULL OR p.company_id = %(company)s THEN a.partner_id END,
                          CASE WHEN p.id IS NULL OR p.company_id IS NULL OR p.company_id = %(company)s
                               THEN a.review_state ELSE 'pending' END,
                          CASE WHEN p.company_id IS NULL OR p.company_id = %(company)s THEN a.match_method END,
                          CASE WHEN p.company_id IS NULL OR p.company_id = %(company)s THEN a.match_evidence END,
                          a.influence_score, a.influence_breakdown, a.last_seen_at,
                          a.create_uid, a.create_date, a.write_uid, NOW() AT TIME ZONE 'UTC'
                     FROM social_crm_author a
                LEFT JOIN res_partner p ON p.id = a.partner_id
                    WHERE a.id = %(author)s
                   RETURNING id, partner_id""",
                company=company_id,
                author=author_id,
            )
        )
        copy_id, partner_id = cr.fetchone()
        cr.execute(
            SQL(
                """UPDATE social_crm_mention SET author_id = %s, partner_id = %s
                    WHERE author_id = %s AND company_id = %s""",
                copy_id,
                partner_id,
                author_id,
                company_id,
            )
        )
    # the leads' stored author follows their source mention
    cr.execute(
        SQL(
            """UPDATE crm_lead l SET social_author_id = m.author_id
                 FROM social_crm_mention m
                WHERE l.social_mention_id = m.id AND l.social_author_id IS DISTINCT FROM m.author_id"""
        )
    )


def _rekey_mastodon(cr):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Mention = env["social.crm.mention"].with_context(active_test=False)
    mentions = Mention.search([("platform", "=", "mastodon")], order="id")
    mentions._compute_local_ref()  # the new stored field, before the references rely on it
    by_local = {m.local_ref: m for m in mentions if m.local_ref}
    by_external = {m.external_id: m for m in mentions}
    connectors = {}
    roots = {}  # external id -> root of its conversation, settled in id order (parents come first)
    changed = 0
    for mention in mentions:
        parent_ref, thread_ref = mention.parent_ref, mention.thread_ref
        if _stale(parent_ref):
            account = mention.account_id
            if account not in connectors:
                connectors[account] = account._get_connector()
            key = connectors[account].status_key(parent_ref)
            parent_ref = by_local[key].external_id if key in by_local else key
        if _stale(thread_ref):
            parent = by_external.get(parent_ref)
            thread_ref = roots.get(parent.external_id, parent.external_id) if parent else False
        roots[mention.external_id] = thread_ref or mention.external_id
        if (parent_ref, thread_ref) != (mention.parent_ref, mention.thread_ref):
            mention.write({"parent_ref": parent_ref, "thread_ref": thread_ref})
            changed += 1
    tickets = env["helpdesk.ticket"].with_context(active_test=False).search([("social_mention_id", "in", mentions.ids)])
    for ticket in tickets:
        key = ticket.social_mention_id._thread_key()
        if ticket.social_thread_key != key:
            ticket.social_thread_key = key
    _logger.info("social_crm: %d Mastodon mention(s) re-keyed, %d ticket(s) checked", changed, len(tickets))


def _sla_from_the_post(cr):
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


def _pull_cron_on_the_account(cr):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("social_crm.ir_cron_pull_mentions", raise_if_not_found=False)
    account_model = env["ir.model"]._get("social.crm.account")
    if cron and cron.model_id != account_model:
        cron.write({"model_id": account_model.id, "code": "model._cron_pull_mentions()"})
        _logger.info("social_crm: the pull cron runs on social.crm.account")


def _priority_reasons_from_the_text(cr):
    cr.execute(
        """SELECT 1 FROM information_schema.columns
            WHERE table_name = 'helpdesk_ticket' AND column_name = 'social_priority_explanation'"""
    )
    if not cr.fetchone():
        return
    cr.execute(
        """UPDATE helpdesk_ticket
              SET social_priority_reasons = jsonb_build_array(jsonb_build_object(
                      'code', 'text', 'params', jsonb_build_object('text', social_priority_explanation)))
            WHERE social_priority_reasons IS NULL AND social_priority_explanation IS NOT NULL
              AND social_priority_explanation != ''"""
    )
    _logger.info("social_crm: the priority reasons of %d ticket(s) kept as text", cr.rowcount)
