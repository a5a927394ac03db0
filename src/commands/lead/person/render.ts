import type { Column } from '../../../io/output.js';
import type { ContactPerson } from '../../../domain/orders.js';

export const personJson = (p: ContactPerson) => ({
  id: p.id, leadId: p.leadId, name: p.name, email: p.email, phone: p.phone, role: p.role, commissionPct: p.commissionPct, portal: p.portal, createdAt: p.createdAt, updatedAt: p.updatedAt,
});

export const personColumns: Column<ContactPerson>[] = [
  { header: 'ID', cell: (p) => p.id },
  { header: 'NAME', cell: (p) => p.name },
  { header: 'ROLE', cell: (p) => p.role ?? '' },
  { header: 'EMAIL', cell: (p) => p.email ?? '' },
  { header: 'PHONE', cell: (p) => p.phone ?? '' },
  { header: 'COMMISSION %', cell: (p) => p.commissionPct ?? '' },
  { header: 'PORTAL', cell: (p) => (p.portal ? 'yes' : 'no') },
];

/** One line for `lead show`. */
export const personLine = (p: ContactPerson) =>
  `#${p.id} ${p.name}${p.role ? ` (${p.role})` : ''}${p.email ? ` <${p.email}>` : ''}${p.phone ? ` ${p.phone}` : ''}${p.commissionPct ? `, commission ${p.commissionPct}%` : ''}${p.portal ? ', portal access' : ''}`;
