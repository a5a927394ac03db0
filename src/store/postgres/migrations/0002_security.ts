/**
 * Schema version 2 of the PostgreSQL store: identity is the database login, visibility is kept by
 * the database (issue 15, SPEC U1, U2). Run by the role that runs `crm init` (it keeps owning the
 * tables); it needs CREATEROLE (or to be a superuser) to make the group roles below.
 *
 * Roles (cluster-wide names, so each is prefixed with the database name; see crm_role()):
 * - `<db>_crm_app`     NOLOGIN: the table privileges; every crm user's login is a member.
 * - `<db>_crm_admin`   NOLOGIN: the admins' logins (a member of crm_app; admin logins also get
 *                      CREATEROLE so that they can add users, see src/store/postgres/users.ts).
 * - `<db>_crm_daemon`  NOLOGIN: a login that is a member sees every row and the secrets (the daemon).
 * - `<db>_crm_definer` NOLOGIN: owns the SECURITY DEFINER helpers below (policy helpers, the
 *                      lead_stats triggers); the policies let it see every row, so the helpers see
 *                      past the row filters they compute. No login is a member of it but the
 *                      role that ran the migration (PostgreSQL requires that to give it functions).
 *
 * Identity: `users.db_role` names each crm user's login. The acting user (crm_actor()) is the
 * crm user whose db_role is session_user (active only); the setting `crm.acting_user` (a user id,
 * set per transaction by the store) is obeyed only when the login is an active admin's or the
 * daemon's (`--as`): anyone else setting it stays themselves. An activity written while an admin
 * acts as someone else records both in its data: {"by": <admin's email>, "as": <acting email>}.
 *
 * Visibility (every table has ENABLE and FORCE ROW LEVEL SECURITY, so the owner obeys it too;
 * superusers, as always in PostgreSQL, do not):
 * - Sees everything (crm_sees_all): admins and marketing (as the services decide today), the
 *   daemon's role, the definer, and a store without users yet (crm init, before the first admin).
 * - A rep sees the leads assigned to them, and the unassigned leads they created (a new lead is
 *   visible to its author until it is assigned: INSERT … RETURNING needs that); a manager sees the
 *   leads assigned to them or to their reps (users.manager_id) and every unassigned lead (the
 *   pool they distribute). What hangs off a lead follows it: assignees, emails, phones, tags,
 *   score, activities, follow-ups (and their assignees, logs, reminders, series), calls,
 *   appointments (and participants), proposals (revisions, events), campaign recipients, rule
 *   marks, outbox and intake rows about it. As in the services, a follow-up is also seen by its
 *   assignees, a call by its caller, an appointment by its author and participants; an inbox
 *   message by its user; an outbox message to a user by that user.
 * - Inserting into outbox and inbox is open to every crm login (a rep's action notifies others).
 * - Configuration (stages, rules, templates, forms, mailboxes, marketplaces, segments, campaigns,
 *   report schedules, settings) is readable by every crm login and changed only by non-reps;
 *   users only by admins (a rep cannot make themselves admin through psql).
 * - Secrets (settings smtp.pass, twilio.auth-token, webhook.secret, mailbox.pass,
 *   marketplace.site-key; the campaigns' unsubscribe key in campaign_secrets) are readable and
 *   writable only when the login is an admin's or the daemon's (crm_sees_secrets).
 * - Everything else (imports, jobs, opt-outs, lead_stats reads, counters…) is open to every login.
 *
 * Performance: policies call the helpers as `(SELECT f())`, an init plan run once per statement,
 * and test lead ids against one hashed set (crm_visible_leads()) rather than a function per row.
 *
 * A later migration that creates a table must enable and force RLS on it and give it a policy
 * (the default privileges below already grant it to crm_app).
 */
export default /* sql */ `
  DO $$
  BEGIN
    IF length(current_database()) > 50 THEN
      RAISE EXCEPTION 'the database name % is too long for crm''s role names (at most 50 characters)', current_database();
    END IF;
    IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
      RAISE EXCEPTION 'the role % may not create roles: setting up a crm store on PostgreSQL needs a role with CREATEROLE that owns the database (ALTER ROLE % CREATEROLE)', current_user, current_user;
    END IF;
  END $$;

  ALTER TABLE users ADD COLUMN db_role text UNIQUE;
  -- A rep sees the unassigned leads they created (crm_visible_leads): found by author.
  CREATE INDEX leads_created_by ON leads(created_by);

  -- <database>_crm_<kind>: the group roles of this store.
  CREATE FUNCTION crm_role(kind text) RETURNS name LANGUAGE sql STABLE
    AS $$ SELECT (current_database() || '_crm_' || kind)::name $$;

  DO $$
  DECLARE
    k text;
    s text := quote_ident(current_schema());
  BEGIN
    FOREACH k IN ARRAY ARRAY['app', 'admin', 'daemon', 'definer'] LOOP
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = crm_role(k)) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN', crm_role(k));
      END IF;
    END LOOP;
    EXECUTE format('GRANT %I TO %I', crm_role('app'), crm_role('admin'));
    EXECUTE format('GRANT %I TO %I', crm_role('app'), crm_role('daemon'));
    -- The role running crm init is the first admin's login; it must also be able to SET ROLE to
    -- the definer to hand it the helper functions.
    EXECUTE format('GRANT %I, %I, %I TO %I', crm_role('app'), crm_role('admin'), crm_role('definer'), current_user);
    EXECUTE format('GRANT USAGE ON SCHEMA %s TO %I, %I', s, crm_role('app'), crm_role('definer'));
    -- PostgreSQL gives a function to a role only if that role may create in its schema.
    EXECUTE format('GRANT CREATE ON SCHEMA %s TO %I', s, crm_role('definer'));
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s TO %I, %I', s, crm_role('app'), crm_role('definer'));
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %s TO %I, %I', s, crm_role('app'), crm_role('definer'));
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %s GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I, %I', s, crm_role('app'), crm_role('definer'));
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %s GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I, %I', s, crm_role('app'), crm_role('definer'));
  END $$;

  -- Who acts -------------------------------------------------------------------------------

  -- The crm user of the connected login (active only); null for a login that is no user's.
  CREATE FUNCTION crm_login_user() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT id FROM users WHERE db_role = session_user AND active = 1 $$;

  -- May this login act as another user (crm.acting_user)? Its user is an active admin, or it is the daemon's.
  CREATE FUNCTION crm_login_may_act_as() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT pg_has_role(session_user, crm_role('daemon'), 'MEMBER')
              OR EXISTS (SELECT 1 FROM users WHERE db_role = session_user AND active = 1 AND role = 'admin') $$;

  -- The acting crm user: crm.acting_user when this login may act as others, else the login's user.
  CREATE FUNCTION crm_actor() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT CASE
             WHEN coalesce(current_setting('crm.acting_user', true), '') ~ '^[0-9]{1,18}$' AND crm_login_may_act_as()
               THEN (SELECT id FROM users WHERE id = current_setting('crm.acting_user', true)::bigint AND active = 1)
             ELSE crm_login_user() END $$;

  CREATE FUNCTION crm_actor_role() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT role FROM users WHERE id = crm_actor() $$;

  -- Is there no user yet (crm init, before the first admin is written)?
  CREATE FUNCTION crm_bootstrap() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT NOT EXISTS (SELECT 1 FROM users) $$;

  CREATE FUNCTION crm_actor_sees_all() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT pg_has_role(session_user, crm_role('daemon'), 'MEMBER')
              OR coalesce(crm_actor_role() IN ('admin', 'marketing'), false)
              OR crm_bootstrap() $$;

  -- Invoker: inside the definer's helpers current_user is the definer, which sees every row.
  CREATE FUNCTION crm_sees_all() RETURNS boolean LANGUAGE sql STABLE SET search_path FROM CURRENT
    AS $$ SELECT current_user = crm_role('definer') OR crm_actor_sees_all() $$;

  -- Changes configuration: not a rep (the services check the exact role).
  CREATE FUNCTION crm_configures() RETURNS boolean LANGUAGE sql STABLE SET search_path FROM CURRENT
    AS $$ SELECT crm_sees_all() OR coalesce(crm_actor_role() IN ('admin', 'manager', 'marketing'), false) $$;

  CREATE FUNCTION crm_actor_is_admin() RETURNS boolean LANGUAGE sql STABLE SET search_path FROM CURRENT
    AS $$ SELECT current_user = crm_role('definer') OR coalesce(crm_actor_role() = 'admin', false) OR crm_bootstrap() $$;

  -- Secrets: the login's user is an active admin (whoever it acts as), or the login is the daemon's.
  CREATE FUNCTION crm_login_sees_secrets() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT pg_has_role(session_user, crm_role('daemon'), 'MEMBER')
              OR EXISTS (SELECT 1 FROM users WHERE db_role = session_user AND active = 1 AND role = 'admin')
              OR crm_bootstrap() $$;
  CREATE FUNCTION crm_sees_secrets() RETURNS boolean LANGUAGE sql STABLE SET search_path FROM CURRENT
    AS $$ SELECT current_user = crm_role('definer') OR crm_login_sees_secrets() $$;

  CREATE FUNCTION crm_secret_setting(key text) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$ SELECT key IN ('smtp.pass', 'twilio.auth-token', 'webhook.secret', 'mailbox.pass', 'marketplace.site-key') $$;

  -- What the acting user sees ------------------------------------------------------------------

  -- The leads the acting user sees when not everything (see the header).
  -- plpgsql with a branch per role, so that each query uses its index (a rep's: their assignments,
  -- their authored leads); the set is materialised once per statement.
  CREATE FUNCTION crm_visible_leads() RETURNS SETOF bigint LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  DECLARE
    me bigint := crm_actor();
    r text;
  BEGIN
    IF me IS NULL THEN RETURN; END IF;
    SELECT role INTO r FROM users WHERE id = me;
    RETURN QUERY SELECT a.lead_id FROM lead_assignees a WHERE a.user_id = me;
    RETURN QUERY SELECT l.id FROM leads l WHERE l.created_by = me AND NOT EXISTS (SELECT 1 FROM lead_assignees a WHERE a.lead_id = l.id);
    IF r = 'manager' THEN
      RETURN QUERY SELECT a.lead_id FROM lead_assignees a JOIN users u ON u.id = a.user_id WHERE u.manager_id = me;
      RETURN QUERY SELECT l.id FROM leads l WHERE NOT EXISTS (SELECT 1 FROM lead_assignees a WHERE a.lead_id = l.id);
    END IF;
  END $$;

  CREATE FUNCTION crm_lead_assigned(lead bigint) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT EXISTS (SELECT 1 FROM lead_assignees WHERE lead_id = lead) $$;

  CREATE FUNCTION crm_visible_follow_ups() RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$
      SELECT f.id FROM follow_ups f WHERE f.lead_id IN (SELECT v FROM crm_visible_leads() v)
      UNION
      SELECT fa.follow_up_id FROM follow_up_assignees fa WHERE fa.user_id = crm_actor()
    $$;
  CREATE FUNCTION crm_assigned_follow_ups() RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT fa.follow_up_id FROM follow_up_assignees fa WHERE fa.user_id = crm_actor() $$;

  CREATE FUNCTION crm_visible_appointments() RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$
      SELECT a.id FROM appointments a WHERE a.lead_id IN (SELECT v FROM crm_visible_leads() v) OR a.created_by = crm_actor()
      UNION
      SELECT p.appointment_id FROM appointment_participants p WHERE p.user_id = crm_actor()
    $$;
  CREATE FUNCTION crm_participating_appointments() RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT p.appointment_id FROM appointment_participants p WHERE p.user_id = crm_actor() $$;

  CREATE FUNCTION crm_visible_proposals() RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT p.id FROM proposals p WHERE p.lead_id IN (SELECT v FROM crm_visible_leads() v) $$;

  -- Duplicate matching (SPEC L3, U2) must see past the acting user's rows: a rep's contact that
  -- matches another rep's lead is refused (and its owners told), not stored twice. These two
  -- tell only what the services tell a rep anyway: that a lead with this email or phone exists,
  -- its state, and whom to ask. (The leads repo's matchContacts and the refusal's owner lookup
  -- call them on PostgreSQL; see the report of issue 15.)
  CREATE FUNCTION crm_contact_matches(emails text[], phones text[])
    RETURNS TABLE (id bigint, status text, outcome text, deleted_at text, value text, kind text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
      SELECT l.id, l.status, s.outcome, l.deleted_at, c.email_norm, 'email' FROM lead_emails c
        JOIN leads l ON l.id = c.lead_id JOIN stages s ON s.id = l.stage_id
       WHERE c.email_norm = ANY(emails)
      UNION ALL
      SELECT l.id, l.status, s.outcome, l.deleted_at, c.phone, 'phone' FROM lead_phones c
        JOIN leads l ON l.id = c.lead_id JOIN stages s ON s.id = l.stage_id
       WHERE c.phone = ANY(phones)
    $$;
  -- The users a lead is assigned to (whom a refused rep is sent to).
  CREATE FUNCTION crm_lead_owners(lead bigint) RETURNS SETOF bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT user_id FROM lead_assignees WHERE lead_id = lead ORDER BY user_id $$;

  -- The timeline records both when an admin acts as someone else.
  CREATE FUNCTION crm_activity_acting() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
  DECLARE
    login bigint := crm_login_user();
    actor bigint := crm_actor();
  BEGIN
    IF login IS NOT NULL AND actor IS DISTINCT FROM login THEN
      NEW.data := (coalesce(nullif(NEW.data, ''), '{}')::jsonb || jsonb_build_object(
        'by', (SELECT email FROM users WHERE id = login),
        'as', (SELECT email FROM users WHERE id = actor)))::text;
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER activities_acting BEFORE INSERT ON activities FOR EACH ROW EXECUTE FUNCTION crm_activity_acting();

  -- The definer owns the helpers and the triggers that write lead_stats (a rep's lead write keeps
  -- the counters, which only the definer and those who see everything may change).
  DO $$
  DECLARE
    f text;
  BEGIN
    FOREACH f IN ARRAY ARRAY[
      'crm_login_user()', 'crm_login_may_act_as()', 'crm_actor()', 'crm_actor_role()', 'crm_bootstrap()',
      'crm_actor_sees_all()', 'crm_login_sees_secrets()', 'crm_visible_leads()', 'crm_lead_assigned(bigint)',
      'crm_visible_follow_ups()', 'crm_assigned_follow_ups()', 'crm_visible_appointments()',
      'crm_participating_appointments()', 'crm_visible_proposals()', 'crm_activity_acting()',
      'crm_contact_matches(text[], text[])', 'crm_lead_owners(bigint)',
      'crm_lead_stats_add()', 'crm_lead_stats_remove()', 'crm_lead_stats_move()'] LOOP
      EXECUTE format('ALTER FUNCTION %s OWNER TO %I', f, crm_role('definer'));
    END LOOP;
    ALTER FUNCTION crm_lead_stats_add() SECURITY DEFINER;
    ALTER FUNCTION crm_lead_stats_remove() SECURITY DEFINER;
    ALTER FUNCTION crm_lead_stats_move() SECURITY DEFINER;
  END $$;
  ALTER FUNCTION crm_lead_stats_add() SET search_path FROM CURRENT;
  ALTER FUNCTION crm_lead_stats_remove() SET search_path FROM CURRENT;
  ALTER FUNCTION crm_lead_stats_move() SET search_path FROM CURRENT;

  -- Row-level security -----------------------------------------------------------------------

  DO $$
  DECLARE
    t text;
    all_ text := '(SELECT crm_sees_all())';
    me text := '(SELECT crm_actor())';
    lead_of text := 'lead_id IN (SELECT v FROM crm_visible_leads() v)';
    by_lead text[] := ARRAY['lead_assignees', 'lead_emails', 'lead_phones', 'lead_tags', 'lead_scores', 'activities',
                            'follow_up_series', 'campaign_recipients', 'rule_marks'];
    logs text[] := ARRAY['intake_log', 'intake_messages', 'mailbox_messages', 'marketplace_seen'];
    config text[] := ARRAY['stages', 'follow_up_rules', 'routing_rules', 'routing_groups', 'scoring_rules', 'welcome_rules',
                           'report_schedules', 'intake_forms', 'mailboxes', 'marketplaces', 'proposal_templates',
                           'proposal_template_files', 'segments', 'campaigns'];
    done text[] := ARRAY['leads', 'follow_ups', 'follow_up_assignees', 'follow_up_logs', 'follow_up_reminders', 'appointments',
                         'appointment_participants', 'calls', 'proposals', 'proposal_revisions', 'proposal_events', 'outbox',
                         'inbox', 'users', 'settings', 'campaign_secrets', 'lead_stats'];
    v text;
  BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
      EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
      EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    END LOOP;

    v := format('%s OR id IN (SELECT v FROM crm_visible_leads() v) OR (created_by = %s AND NOT crm_lead_assigned(id))', all_, me);
    EXECUTE format('CREATE POLICY crm_read ON leads FOR SELECT USING (%s)', v);
    EXECUTE format('CREATE POLICY crm_insert ON leads FOR INSERT WITH CHECK (%s OR created_by = %s)', all_, me);
    EXECUTE format('CREATE POLICY crm_update ON leads FOR UPDATE USING (%s) WITH CHECK (%s)', v, v);
    EXECUTE format('CREATE POLICY crm_delete ON leads FOR DELETE USING (%s)', v);

    FOREACH t IN ARRAY by_lead LOOP
      EXECUTE format('CREATE POLICY crm_lead ON %I USING (%s OR %s)', t, all_, lead_of);
    END LOOP;

    v := format('%s OR %s OR id IN (SELECT v FROM crm_assigned_follow_ups() v)', all_, lead_of);
    EXECUTE format('CREATE POLICY crm_lead ON follow_ups USING (%s) WITH CHECK (%s OR created_by = %s)', v, v, me);
    FOREACH t IN ARRAY ARRAY['follow_up_assignees', 'follow_up_logs', 'follow_up_reminders'] LOOP
      EXECUTE format('CREATE POLICY crm_lead ON %I USING (%s OR follow_up_id IN (SELECT v FROM crm_visible_follow_ups() v))', t, all_);
    END LOOP;

    v := format('%s OR %s OR created_by = %s OR id IN (SELECT v FROM crm_participating_appointments() v)', all_, lead_of, me);
    EXECUTE format('CREATE POLICY crm_lead ON appointments USING (%s)', v);
    EXECUTE format('CREATE POLICY crm_lead ON appointment_participants USING (%s OR appointment_id IN (SELECT v FROM crm_visible_appointments() v))', all_);

    EXECUTE format('CREATE POLICY crm_lead ON calls USING (%s OR %s OR user_id = %s)', all_, lead_of, me);

    EXECUTE format('CREATE POLICY crm_lead ON proposals USING (%s OR %s)', all_, lead_of);
    FOREACH t IN ARRAY ARRAY['proposal_revisions', 'proposal_events'] LOOP
      EXECUTE format('CREATE POLICY crm_lead ON %I USING (%s OR proposal_id IN (SELECT v FROM crm_visible_proposals() v))', t, all_);
    END LOOP;

    v := format('%s OR %s OR (recipient_kind = ''user'' AND recipient_id = %s)', all_, lead_of, me);
    EXECUTE format('CREATE POLICY crm_read ON outbox FOR SELECT USING (%s)', v);
    EXECUTE format('CREATE POLICY crm_insert ON outbox FOR INSERT WITH CHECK (true)');
    EXECUTE format('CREATE POLICY crm_update ON outbox FOR UPDATE USING (%s)', v);
    EXECUTE format('CREATE POLICY crm_delete ON outbox FOR DELETE USING (%s)', v);

    v := format('%s OR user_id = %s', all_, me);
    EXECUTE format('CREATE POLICY crm_read ON inbox FOR SELECT USING (%s)', v);
    EXECUTE format('CREATE POLICY crm_insert ON inbox FOR INSERT WITH CHECK (true)');
    EXECUTE format('CREATE POLICY crm_update ON inbox FOR UPDATE USING (%s)', v);
    EXECUTE format('CREATE POLICY crm_delete ON inbox FOR DELETE USING (%s)', v);

    FOREACH t IN ARRAY logs LOOP
      v := format('%s OR (lead_id IS NOT NULL AND %s)', all_, lead_of);
      EXECUTE format('CREATE POLICY crm_read ON %I FOR SELECT USING (%s)', t, v);
      EXECUTE format('CREATE POLICY crm_write ON %I FOR INSERT WITH CHECK (true)', t);
      EXECUTE format('CREATE POLICY crm_update ON %I FOR UPDATE USING (%s)', t, v);
      EXECUTE format('CREATE POLICY crm_delete ON %I FOR DELETE USING (%s)', t, v);
    END LOOP;

    FOREACH t IN ARRAY config LOOP
      EXECUTE format('CREATE POLICY crm_read ON %I FOR SELECT USING (true)', t);
      EXECUTE format('CREATE POLICY crm_insert ON %I FOR INSERT WITH CHECK ((SELECT crm_configures()))', t);
      EXECUTE format('CREATE POLICY crm_update ON %I FOR UPDATE USING ((SELECT crm_configures()))', t);
      EXECUTE format('CREATE POLICY crm_delete ON %I FOR DELETE USING ((SELECT crm_configures()))', t);
    END LOOP;

    EXECUTE 'CREATE POLICY crm_read ON users FOR SELECT USING (true)';
    EXECUTE 'CREATE POLICY crm_insert ON users FOR INSERT WITH CHECK ((SELECT crm_actor_is_admin()))';
    EXECUTE 'CREATE POLICY crm_update ON users FOR UPDATE USING ((SELECT crm_actor_is_admin()))';
    EXECUTE 'CREATE POLICY crm_delete ON users FOR DELETE USING ((SELECT crm_actor_is_admin()))';

    v := '(NOT crm_secret_setting(key) OR (SELECT crm_sees_secrets()))';
    EXECUTE format('CREATE POLICY crm_read ON settings FOR SELECT USING (%s)', v);
    EXECUTE format('CREATE POLICY crm_insert ON settings FOR INSERT WITH CHECK (%s AND (SELECT crm_configures()))', v);
    EXECUTE format('CREATE POLICY crm_update ON settings FOR UPDATE USING (%s AND (SELECT crm_configures()))', v);
    EXECUTE format('CREATE POLICY crm_delete ON settings FOR DELETE USING (%s AND (SELECT crm_configures()))', v);

    EXECUTE 'CREATE POLICY crm_secret ON campaign_secrets USING ((SELECT crm_sees_secrets()))';

    EXECUTE 'CREATE POLICY crm_read ON lead_stats FOR SELECT USING (true)';
    EXECUTE format('CREATE POLICY crm_write ON lead_stats USING (%s) WITH CHECK (%s)', all_, all_);

    -- The rest (imports, jobs, opt-outs, counters, crm_schema…): open to every crm login.
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
      IF NOT (t = ANY (by_lead || logs || config || done)) THEN
        EXECUTE format('CREATE POLICY crm_open ON %I USING (true)', t);
      END IF;
    END LOOP;
  END $$;
`;
