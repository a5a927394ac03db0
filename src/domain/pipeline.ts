export const STAGE_OUTCOMES = ['open', 'won', 'lost'] as const;
export type StageOutcome = (typeof STAGE_OUTCOMES)[number];

export interface Stage {
  id: number;
  name: string;
  position: number;
  probability: number;
  outcome: StageOutcome;
}

export interface Source {
  id: number;
  name: string;
  leads: number;
}

export interface Tag {
  id: number;
  name: string;
  leads: number;
}
