"""Pure-Python scores with their breakdown: influence and ticket priority.

Both are transparent by design: every score is a sum of named, bounded
components, and the components are stored and shown to users.
"""

from .influence import influence_score
from .priority import HELPDESK_PRIORITIES, REASON_CODES, priority_score, reason_text

__all__ = ["HELPDESK_PRIORITIES", "REASON_CODES", "influence_score", "priority_score", "reason_text"]
