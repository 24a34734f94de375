"""System parameters of Social CRM (*Settings > Technical > System Parameters*).

Batch sizes, the pull back-off cap and how long raw payloads are kept; each
has a default, so none needs to be set. A value that is not a whole number is
ignored (and logged): the default applies.
"""

import logging

_logger = logging.getLogger(__name__)

PULL_BATCH = "social_crm.pull_batch_size"  # accounts pulled per transaction of the pull cron
PROCESS_BATCH = "social_crm.process_batch_size"  # mentions analysed and routed per transaction
REANALYSE_BATCH = "social_crm.reanalyse_batch_size"  # mentions analysed again per transaction
ESCALATION_BATCH = "social_crm.escalation_batch_size"  # tickets escalated per transaction
BACKOFF_MAX_MINUTES = "social_crm.backoff_max_minutes"  # longest wait after failed pulls
RAW_PAYLOAD_DAYS = "social_crm.raw_payload_days"  # days a raw payload is kept whole (0: for ever)
RAW_PAYLOAD_BATCH = "social_crm.raw_payload_batch_size"  # mentions trimmed per transaction


def int_param(env, name, default, minimum=0):
    """The system parameter ``name`` as a whole number of at least ``minimum``."""
    value = env["ir.config_parameter"].sudo().get_param(name)
    if value in (None, False, ""):
        return max(default, minimum)
    try:
        number = int(str(value).strip())
    except ValueError:
        _logger.warning("System parameter %s is not a whole number (%r): %s is used", name, value, default)
        number = default
    return max(number, minimum)
