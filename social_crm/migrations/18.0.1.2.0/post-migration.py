"""18.0.1.2.0: Mastodon conversations keyed the way the connector keys them now (issue 13).

Replies stored before named their parent, and their thread, by the bare
instance-local ``in_reply_to_id``, which no stored mention answers to. They now
name their parent by its external id (its URI) when it is stored, otherwise by
the instance key ``<base_url>/api/v1/statuses/<id>`` that ``local_ref`` holds;
their thread is the root of the conversation (empty when unknown). Tickets take
the conversation key of their first mention again."""

import logging
import re

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)
BARE_ID = re.compile(r"^\d+$")


def _stale(ref):
    return bool(ref and BARE_ID.match(ref))


def migrate(cr, version):
    if not version:
        return
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
