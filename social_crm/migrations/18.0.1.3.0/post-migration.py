"""18.0.1.3.0: negative posts go to the helpdesk when they are addressed to us.

1. Mentions know whether they are addressed to us (``addressed``). The stored ones are marked
   from what is known without their text: webhook deliveries, posts of a stream of our
   mentions or of the comments on our posts, and answers to our own replies. (New mentions
   are also addressed when they name one of the account's handles.)
2. The shipped rule "Negative mentions go to the helpdesk" sent every negative post to the
   helpdesk, a bad mood about the weather that named the brand included. If it is still as
   shipped, it now takes only negative posts addressed to us; complaints and questions go to
   the helpdesk by their own rules, wherever they were heard. A rule changed by an admin is
   left as it is.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)
SHIPPED_NAME = "Negative mentions go to the helpdesk"
NEW_NAME = "Negative posts addressed to us go to the helpdesk"


def migrate(cr, version):
    if not version:
        return
    _mark_addressed(cr)
    _negative_rule_addressed(cr)


def _mark_addressed(cr):
    cr.execute(
        SQL(
            """UPDATE social_crm_mention m
                  SET addressed = TRUE
                WHERE m.direction = 'in'
                  AND (m.stream_id IS NULL
                       OR m.stream_id IN (SELECT id FROM social_crm_stream WHERE mode IN ('mentions', 'comments')))"""
        )
    )
    _logger.info("%d stored mentions marked as addressed to us (webhooks, mentions, comments)", cr.rowcount)
    cr.execute(
        SQL(
            """UPDATE social_crm_mention m
                  SET addressed = TRUE
                WHERE m.direction = 'in'
                  AND m.addressed IS NOT TRUE
                  AND m.parent_ref IS NOT NULL
                  AND EXISTS (
                        SELECT 1 FROM social_crm_mention ours
                         WHERE ours.direction = 'out'
                           AND ours.platform = m.platform
                           AND ours.external_id = m.parent_ref)"""
        )
    )
    _logger.info("%d stored answers to our replies marked as addressed to us", cr.rowcount)


def _negative_rule_addressed(cr):
    cr.execute(
        SQL(
            """SELECT r.id
                 FROM social_crm_routing_rule r
                 JOIN ir_model_data d ON d.model = 'social.crm.routing.rule' AND d.res_id = r.id
                WHERE d.module = 'social_crm' AND d.name = 'routing_rule_negative'
                  AND r.sentiment = 'negative' AND r.intent IS NULL AND r.platform IS NULL
                  AND COALESCE(r.keywords, '') = '' AND COALESCE(r.min_influence, 0) = 0
                  AND r.noise IS NOT TRUE AND r.action = 'ticket'
                  AND r.name->>'en_US' = %s""",
            SHIPPED_NAME,
        )
    )
    rows = cr.fetchall()
    if not rows:
        _logger.info("the negative routing rule was changed by an admin: left as it is")
        return
    cr.execute(
        SQL(
            """UPDATE social_crm_routing_rule
                  SET addressed = TRUE, name = jsonb_build_object('en_US', %s::text)
                WHERE id = %s""",
            NEW_NAME,
            rows[0][0],
        )
    )
    _logger.info("the negative routing rule now takes only posts addressed to us")
