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
