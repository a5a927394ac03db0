/** A routing rule (L8): its conditions as written (`source=Website,country=India`) and its target. */
export interface RoutingRule {
  id: number;
  name: string;
  position: number;
  conditions: string;
  userId: number | null;
  group: string | null;
  createdBy: number | null;
  createdAt: string;
}

export interface RoutingGroup {
  name: string;
  userIds: number[];
  createdAt: string;
}

/** A scoring rule (L7): points added (or subtracted) when its conditions hold; `days` is the window of activity conditions. */
export interface ScoringRule {
  id: number;
  name: string;
  conditions: string;
  points: number;
  days: number;
  createdBy: number | null;
  createdAt: string;
}

/** A lead's score parts: leads.score = clamp(base + points, 0, 100). */
export interface LeadScoreState {
  base: number;
  points: number;
  at: string;
}

/** A welcome message rule (C6); source/via '' = any. */
export interface WelcomeRule {
  id: number;
  source: string;
  via: string;
  channel: 'email' | 'sms' | 'whatsapp';
  template: string;
  attachment: { filename: string; contentType: string; size: number } | null;
  createdBy: number | null;
  createdAt: string;
}
