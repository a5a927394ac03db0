/**
 * Schema version 5 of the PostgreSQL store, the lean import schema as SQLite's 0021: an imported
 * lead says which import and line created it (import_id, import_line, import_junk) instead of
 * a 'created' row in activities, and the indexes another one already serves go (leads_stage:
 * leads_board_totals and leads_board_cards start with stage_id; leads_created:
 * leads_created_live has the same key for every lead not deleted). No foreign key on import_id:
 * imports are never deleted, and PostgreSQL checks a foreign key row by row, the largest part of
 * an import's server time. The columns are the lead's, under the leads policies already.
 */
export default /* sql */ `
  ALTER TABLE leads ADD COLUMN import_id bigint;
  ALTER TABLE leads ADD COLUMN import_line bigint;
  ALTER TABLE leads ADD COLUMN import_junk bigint;
  DROP INDEX leads_stage;
  DROP INDEX leads_created;
`;
