// The workflow API: define tasks, run them, watch and steer the run.
export { workflow, Workflow } from './workflow.js';
export { RunHandle } from './handle.js';
export type { RunMetrics } from './handle.js';
export type { Timeline, TimelineEntry } from './result.js';
export type { HookControl, CompleteHook } from './compiled.js';
export type { WorkflowListener } from './events.js';
export type { Recorder } from './recorder.js';
export { DEFAULT_WORKFLOW_OPTIONS } from './spec.js';
export type * from './types.js';
export type * from './options.js';
export type { DrainOptions } from './run-drain.js';
