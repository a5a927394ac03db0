import type { Column } from '../../io/output.js';
import type { RuleView } from '../../services/notify/service.js';

/** The stable --json shape of a notification rule (docs/json.md). */
export const ruleJson = (r: RuleView) => ({ id: r.id, on: r.on, to: r.to, channels: r.channels, unconfiguredChannels: r.unconfigured, event: r.event, template: r.template, description: r.description });

export const ruleColumns: Column<RuleView>[] = [
  { header: 'RULE', cell: (r) => r.id },
  { header: 'ON', cell: (r) => (r.on ? 'on' : 'off') },
  { header: 'TO', cell: (r) => r.to.join(',') },
  { header: 'CHANNELS', cell: (r) => r.channels.map((ch) => (r.unconfigured.includes(ch) ? `${ch}(not configured)` : r.held.some((h) => h.channel === ch) ? `${ch}(held: ${r.held.find((h) => h.channel === ch)!.problems.join('; ')})` : ch)).join(',') },
  { header: 'WHEN', cell: (r) => r.description },
];
