/**
 * Pre-rendered outbox messages (campaigns M1, proposals P1): the content (subject, text, HTML,
 * extra headers, cc/bcc) is written with the message instead of a template name, so what was
 * previewed is exactly what is sent. Binary attachments (a proposal's PDF) are base64 in the
 * existing attachments JSON.
 */
export default /* sql */ `
  ALTER TABLE outbox ADD COLUMN content TEXT;
`;
