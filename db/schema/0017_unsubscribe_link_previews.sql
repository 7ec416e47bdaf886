-- A preview made before its campaign exists names the email it shows (preview_of: 'announce:<product id>' or
-- 'refill'), so two previews of different emails never share one link; sending that email takes the link over
-- (campaign set, preview_of cleared), so the customer gets the very tokens the owner previewed.
ALTER TABLE mail_unsubscribe_links ADD COLUMN preview_of TEXT;
DROP INDEX mail_unsubscribe_links_key;
CREATE UNIQUE INDEX mail_unsubscribe_links_key
    ON mail_unsubscribe_links(customer_id, consent_type, coalesce(campaign_id, 0), coalesce(preview_of, ''));
