/**
 * The customer portal (SPEC W1): a company's contacts sign in with a magic link and see their
 * own company's (lead's) orders, invoices, ledger, proposals and tickets. Everything the portal
 * reads or changes goes through a PortalScope: the lead the session belongs to, never an id
 * taken from the request.
 */

/** Who a portal request acts for: the session's lead (company) and contact person. */
export interface PortalScope {
  leadId: number;
  /** The contact person (null: the lead's own email). */
  personId: number | null;
  name: string;
  email: string;
}

/** The portal's sections, as portal.sections lists them. */
export const PORTAL_SECTIONS = ['orders', 'invoices', 'ledger', 'proposals', 'tickets', 'order-request'] as const;
export type PortalSection = (typeof PORTAL_SECTIONS)[number];

export interface PortalLink {
  id: number;
  leadId: number;
  personId: number | null;
  email: string;
  createdById: number | null;
  remote: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface NewPortalLink {
  tokenHash: string;
  leadId: number;
  personId: number | null;
  email: string;
  createdById: number | null;
  remote: string | null;
  expiresAt: string;
}

export interface PortalSession {
  id: number;
  leadId: number;
  leadName: string;
  personId: number | null;
  email: string;
  linkId: number | null;
  remote: string | null;
  userAgent: string | null;
  createdAt: string;
  expiresAt: string;
  /** Logged out, revoked (end reason says which), or null: live until expiresAt. */
  endedAt: string | null;
  endReason: string | null;
}

export interface NewPortalSession {
  tokenHash: string;
  leadId: number;
  personId: number | null;
  email: string;
  linkId: number | null;
  remote: string | null;
  userAgent: string | null;
  expiresAt: string;
}

/** A company contact an email address belongs to: a contact person with portal access, or a lead's own email. */
export interface PortalContact {
  leadId: number;
  personId: number | null;
  name: string;
  email: string;
}
