/**
 * The campaigns' unsubscribe key for those who send campaigns. campaign_secrets is readable by
 * admins and the daemon only (migration 0002), but a marketing user sends campaigns too, and each
 * queued message carries an unsubscribe link signed with the key: marketing's `campaign send`
 * failed on PostgreSQL. crm_campaign_secret() (owned by the definer) returns the key to a login
 * that sees the secrets or is an active marketing user's, and refuses everyone else (42501), so a
 * rep's psql session still cannot read it. Holding the key lets one forge unsubscribe links, which
 * only opt leads out: marketing may do that by hand already.
 */
export default `
  CREATE FUNCTION crm_campaign_secret() RETURNS text LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  BEGIN
    IF crm_login_sees_secrets()
       OR EXISTS (SELECT 1 FROM users WHERE db_role = session_user AND active = 1 AND role = 'marketing') THEN
      RETURN (SELECT secret FROM campaign_secrets WHERE id = 1);
    END IF;
    RAISE EXCEPTION 'only admins, marketing and the daemon may read the campaigns'' unsubscribe key' USING ERRCODE = '42501';
  END $$;
  DO $$ BEGIN EXECUTE format('ALTER FUNCTION crm_campaign_secret() OWNER TO %I', crm_role('definer')); END $$;
`;
