/**
 * Inbound, mass and automatic entries are not contact attempts: an inquiry arriving by form,
 * SMS, WhatsApp, mailbox or marketplace ('intake'), a contact opting out or back in, a campaign
 * message, and routing, rescoring and the welcome message (0017) no longer mark a lead attempted (the not-attempted rule and the dashboard count a lead
 * nobody has reached out to yet). Leads marked attempted only by such entries are recomputed.
 * The list now lives in src/domain/activity.ts (ACTIVITY_TYPES); 0019 drops this trigger.
 */
const NOT_AN_ATTEMPT =
  "'created', 'assigned', 'updated', 'reengaged', 'follow-up', 'follow-up-cancelled', 'appointment-cancelled', 'merged', 'deleted', 'restored', " +
  "'intake', 'opt-out', 'opt-in', 'campaign', 'routed', 'scored', 'welcome'";

export default /* sql */ `
  DROP TRIGGER activities_attempted;
  CREATE TRIGGER activities_attempted AFTER INSERT ON activities
  WHEN NEW.type NOT IN (${NOT_AN_ATTEMPT})
  BEGIN
    UPDATE leads SET attempted_at = NEW.at WHERE id = NEW.lead_id AND attempted_at IS NULL;
  END;

  UPDATE leads SET attempted_at = (
    SELECT min(at) FROM (
      SELECT a.at FROM activities a WHERE a.lead_id = leads.id AND a.type NOT IN (${NOT_AN_ATTEMPT})
      UNION ALL SELECT c.start_at FROM calls c WHERE c.lead_id = leads.id))
  WHERE attempted_at IS NOT NULL AND EXISTS (
    SELECT 1 FROM activities a WHERE a.lead_id = leads.id AND a.type IN ('intake', 'opt-out', 'opt-in', 'campaign', 'routed', 'scored', 'welcome') AND a.at = leads.attempted_at);
`;
