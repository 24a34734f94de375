from . import social_crm_account
from . import social_crm_stream
from . import social_crm_author
from . import social_crm_mention
from . import res_partner
