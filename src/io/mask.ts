/**
 * Credentials written inside URLs (`https://user:pass@host/…`, a token as the user name) are never
 * printed: the password, or a lone user name, becomes `***`; the user name before a password stays.
 * Applied to setting values, error lines, daemon logs and `doctor`.
 */
export function maskUrlCredentials(text: string): string {
  // Most text (every line the daemon logs) holds no URL: no need to run the pattern.
  if (!text.includes('://')) return text;
  // The userinfo runs to the authority's last '@' (a password may hold one), as URL parsers read it.
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*)@/gi, (_m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon < 0 ? `${scheme}***@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}
