/**
 * Versioned schema for the PostgreSQL store. Version N is applied by migrations[N - 1]; the
 * table crm_schema holds the version a database is at. Append only, as for SQLite. Version 1 is
 * the whole schema of the SQLite store at its version 19, in PostgreSQL's words.
 */
import m0001 from './0001_schema.js';
import m0002 from './0002_security.js';
import m0003 from './0003_activity_acting.js';
import m0004 from './0004_user_settings.js';
import m0005 from './0005_lean_import.js';
import m0006 from './0006_audit_suppressions.js';
import m0007 from './0007_orders.js';
import m0008 from './0008_tickets.js';
import m0009 from './0009_twilio_voice.js';
import m0011 from './0011_campaign_secret.js';
import m0012 from './0012_invoice_send_followups.js';
import m0014 from './0014_consent.js';

export const migrations: string[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0011, m0012, m0014];

export const SCHEMA_VERSION = migrations.length;
