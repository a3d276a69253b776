/**
 * One upgrade step: a pure plan over the model and the two releases. runUpgrade (../index.ts)
 * applies every step's plan in one place: one model edit, one regenerate, one commit. A step that
 * cannot go ahead throws a UserError from plan(), before anything is written.
 */
import type { Blueprint } from '../../model/blueprint.js';
import type { Fleet } from '../../model/schema.js';

export interface UpgradeInput {
  fleet: Fleet;
  from: string;
  to: string;
  fromBp: Blueprint;
  toBp: Blueprint;
  /** The ring being upgraded (upgrade --ring), by its index in calisti.yaml's rings; absent: the whole fleet. */
  ring?: { index: number; name: string };
}

/** A change to calisti.yaml, as data. */
export type ModelChange = { op: 'set' | 'append'; path: (string | number)[]; value: unknown } | { op: 'delete'; path: (string | number)[] };

export interface StepPlan {
  changes: ModelChange[];
  /** What the upgrade does, for the report. */
  steps: string[];
  /** What GitOps cannot do; the user does it afterwards. */
  followUps: string[];
  /** A chart to pull into the vendored chart folder before regenerating. */
  pullChart?: { repository: string; name: string; version: string };
}

export interface UpgradeStep {
  id: string;
  plan(input: UpgradeInput): StepPlan;
}

export const noPlan = (): StepPlan => ({ changes: [], steps: [], followUps: [] });
