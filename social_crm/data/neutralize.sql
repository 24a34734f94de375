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

-- OAuth (Connect buttons): a copy of the database must not act on the production accounts
UPDATE social_crm_account_token
   SET access_token = NULL, refresh_token = NULL, status = 'reconnect',
       last_error = 'Neutralized database: connect the account again.';
DELETE FROM social_crm_oauth_state;
UPDATE social_crm_oauth_app SET client_secret = NULL;
UPDATE res_company
   SET social_crm_reddit_client_secret = NULL, social_crm_x_client_secret = NULL,
       social_crm_google_client_secret = NULL, social_crm_meta_app_secret = NULL;
UPDATE social_crm_oauth_page_line SET page_token = NULL;
