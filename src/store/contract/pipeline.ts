/** The store contract: stages, sources, tags. */
import type { Source, Stage, Tag } from '../../domain/pipeline.js';

export interface StagesRepo {
  list(): Promise<Stage[]>;
  insert(stage: Omit<Stage, 'id'>): Promise<Stage>;
  update(id: number, patch: Partial<Omit<Stage, 'id'>>): Promise<void>;
  /** Rewrites positions to follow the order of ids. */
  reorder(ids: number[]): Promise<void>;
  remove(id: number): Promise<void>;
  countLeads(id: number): Promise<number>;
  /** Moves every lead of one stage to another (used before removing a stage). */
  moveLeads(fromId: number, toId: number): Promise<number>;
}

export interface SourcesRepo {
  list(): Promise<Source[]>;
  byName(name: string): Promise<Source | undefined>;
  insert(name: string): Promise<Source>;
  rename(id: number, name: string): Promise<void>;
  remove(id: number): Promise<void>;
}

export interface TagsRepo {
  list(): Promise<Tag[]>;
  /** Every tag's name, counting no leads: what a caller that needs only the names asks (an import on a store of a million leads). */
  names(): Promise<string[]>;
  byName(name: string): Promise<Tag | undefined>;
  insert(name: string): Promise<Tag>;
  rename(id: number, name: string): Promise<void>;
  remove(id: number): Promise<void>;
}
