import type { Column } from '../../io/output.js';
import type { WelcomeView } from '../../services/welcome/service.js';

export const welcomeColumns: Column<WelcomeView>[] = [
  { header: 'SOURCE', cell: (w) => w.source },
  { header: 'VIA', cell: (w) => w.via },
  { header: 'CHANNEL', cell: (w) => w.channel + (w.channelReady ? '' : ' (not configured)') },
  { header: 'TEMPLATE', cell: (w) => w.template },
  { header: 'ATTACHMENT', cell: (w) => (w.attachment ? `${w.attachment} (${Math.ceil(w.attachmentBytes! / 1024)} KiB)` : '') },
];
