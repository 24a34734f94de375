from . import social_crm_routing_preview
from . import social_crm_reply
from . import social_crm_advocacy_candidate
from . import social_crm_oauth_page
from . import social_crm_identity_review
from . import social_crm_mention_review
from . import social_crm_mention_bulk
