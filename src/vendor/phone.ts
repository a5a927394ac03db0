// Bundled on its own into dist/vendor/phone.cjs (see scripts/build.mjs): loaded only by
// commands that see a phone number, as one file instead of ~40 (34 ms → ~8 ms).
export { parsePhoneNumberWithError } from 'libphonenumber-js/min';
