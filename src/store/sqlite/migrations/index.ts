/**
 * Versioned schema for the SQLite store. Version N is applied by migrations[N - 1];
 * PRAGMA user_version holds the version a store file is at. Append only: never edit a
 * migration that has shipped; add the next numbered file and list it here.
 */
import m0001 from './0001_foundation.js';
import m0002 from './0002_imports.js';
import m0003 from './0003_followups.js';
import m0004 from './0004_board.js';
import m0005 from './0005_outbox.js';
import m0006 from './0006_reporting.js';
import m0007 from './0007_report_schedules.js';
import m0008 from './0008_import_speed.js';
import m0009 from './0009_intake.js';
import m0010 from './0010_campaigns.js';
import m0011 from './0011_outbox_content.js';
import m0012 from './0012_intake_forms.js';
import m0013 from './0013_campaign_send.js';
import m0014 from './0014_proposals.js';
import m0015 from './0015_attempted_types.js';
import m0016 from './0016_mailbox.js';
import m0017 from './0017_routing_scoring.js';
import m0018 from './0018_drop_bulk_switch.js';
import m0019 from './0019_derived_in_domain.js';
import m0020 from './0020_user_settings.js';
import m0021 from './0021_lean_import.js';
import m0022 from './0022_audit_suppressions.js';
import m0023 from './0023_orders.js';
import m0024 from './0024_tickets.js';
import m0025 from './0025_twilio_voice.js';
import m0026 from './0026_invoice_send_followups.js';
import m0028 from './0028_consent.js';

export const migrations: string[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012, m0013, m0014, m0015, m0016, m0017, m0018, m0019, m0020, m0021, m0022, m0023, m0024, m0025, m0026, m0028];

export const SCHEMA_VERSION = migrations.length;
