from . import social_crm_routing_preview
from . import social_crm_reply
from . import social_crm_advocacy_candidate
from . import social_crm_mention_bulk
