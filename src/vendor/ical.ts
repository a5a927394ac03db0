// Bundled on its own into dist/vendor/ical.cjs: only `crm followup export --ics` loads it.
export { default as ical, ICalAlarmType, ICalEventStatus } from 'ical-generator';
