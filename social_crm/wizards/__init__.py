from . import social_crm_routing_preview
from . import social_crm_reply
