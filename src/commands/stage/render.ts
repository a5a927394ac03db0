import type { Column } from '../../io/output.js';
import type { Stage } from '../../domain/pipeline.js';

export const stageColumns: Column<Stage>[] = [
  { header: 'ID', cell: (s) => s.id },
  { header: 'POS', cell: (s) => s.position },
  { header: 'STAGE', cell: (s) => s.name },
  { header: 'PROBABILITY', cell: (s) => `${s.probability}%` },
  { header: 'OUTCOME', cell: (s) => s.outcome },
];
export const stageJson = (s: Stage) => ({ ...s });
