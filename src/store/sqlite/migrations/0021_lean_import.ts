/**
 * The lean import schema (issue 16, "Speed"):
 * - An imported lead has no 'created' timeline row of its own: the lead says which import and
 *   line created it (import_id, import_line; import_junk 1 when it was created as junk), and the
 *   timeline shows that entry from these columns (activitiesRepo.forLead). One B-tree entry
 *   less in activities and one in activities_lead per imported lead. Leads imported before keep
 *   their rows (these columns stay NULL for them). No foreign key on import_id: imports are
 *   never deleted, and a check per row is what a bulk insert should not pay.
 * - Indexes that another one already serves go: leads_stage (stage_id leads both
 *   leads_board_totals and leads_board_cards) and leads_created (leads_created_live has the same
 *   key for every lead not deleted; only a listing of deleted leads sorted by creation time
 *   used it, and leads_deleted finds those).
 */
export default /* sql */ `
  ALTER TABLE leads ADD COLUMN import_id INTEGER;
  ALTER TABLE leads ADD COLUMN import_line INTEGER;
  ALTER TABLE leads ADD COLUMN import_junk INTEGER;
  DROP INDEX leads_stage;
  DROP INDEX leads_created;
`;
