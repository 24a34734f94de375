-- neutralization of Social CRM (a copy of a production database, e.g. for tests):
-- no credentials, so no pull and no reply can act as the brand; no webhook URL of
-- production leads here; the accounts are archived, so the crons leave them alone
UPDATE social_crm_account
   SET access_token = NULL,
       api_key = NULL,
       client_id = NULL,
       client_secret = NULL,
       username = NULL,
       password = NULL,
       webhook_secret = NULL,
       webhook_verify_token = NULL,
       webhook_token = NULL,
       next_pull_at = NULL,
       active = false;
