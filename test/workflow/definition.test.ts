import { describe, expect, it } from 'vitest';
import { workflow, type TaskSpec } from '../../src/index.js';
import { canonical, definitionChanges, definitionDigest, taskDigest } from '../../src/workflow/definition.js';

const compiled = (wf: ReturnType<typeof workflow>) => {
  wf.validate();
  return (wf as unknown as { compile(): Parameters<typeof definitionDigest>[0] }).compile();
};

// Every field of a task that says what it is or how it runs, each set on its own.
const FIELDS: Record<string, Partial<TaskSpec>> = {
  dependsOn: { dependsOn: ['a'] },
  agent: { agent: 'writer' },
  input: { input: { q: 1 } },
  worker: { worker: { module: '/m.js' } },
  workerExport: { worker: { module: '/m.js', export: 'run' } },
  retry: { retry: { maxAttempts: 3 } },
  timeoutMs: { timeoutMs: 100 },
  stallTimeoutMs: { stallTimeoutMs: 50 },
  onStall: { onStall: 'fail' },
  group: { group: 'g' },
  rateLimit: { rateLimit: 'api' },
  critical: { critical: true },
  priority: { priority: 2 },
  estimateMs: { estimateMs: 7 },
};

describe('taskDigest', () => {
  it('is what store files hold: the same text for the same definition across versions', () => {
    // Changing these values makes every recorded run look changed (WORKFLOW_CHANGED) after an upgrade.
    expect(taskDigest({ id: 't' })).toBe('4bc200f3');
    expect(taskDigest({ id: 't', worker: { module: '/m.js' } } as TaskSpec)).toBe('3412ff3c');
    const all = Object.assign({ id: 't' }, ...Object.values(FIELDS).filter((f) => !('worker' in f)), { dependsOn: ['a', 'b'], worker: { module: '/m.js', export: 'run' } });
    expect(taskDigest(all)).toBe('f6b58b3a');
  });

  it('changes with each field on its own, and no two fields give the same digest', () => {
    const base = taskDigest({ id: 't' });
    const digests = Object.entries(FIELDS).map(([name, extra]) => [name, taskDigest({ id: 't', ...extra } as TaskSpec)] as const);
    for (const [name, d] of digests) expect(d, name).not.toBe(base);
    expect(new Set(digests.map(([, d]) => d)).size).toBe(digests.length);
    expect(taskDigest({ id: 't', critical: false })).toBe(base); // only `true` is recorded
    expect(taskDigest({ id: 't', dependsOn: [] })).toBe(base);
    expect(taskDigest({ id: 'u' })).not.toBe(base);
  });
});

describe('canonical', () => {
  it('writes data with sorted keys, dropping undefined and functions inside objects', () => {
    expect(canonical({ b: 1, a: [1, { d: 2, c: undefined, f: () => 0 }] })).toBe('{"a":[1,{"d":2}],"b":1}');
    expect(canonical([undefined, () => 1, 10n, new URL('http://a.example/x'), new Uint8Array([1, 2]), null, 'x'])).toBe('[null,null,"10n","http://a.example/x",[1,2],null,"x"]');
    expect(canonical(undefined)).toBe('null');
  });

  it('makes an input digest the same whatever its key order, and tell URLs and typed arrays apart', () => {
    const d = (input: unknown) => taskDigest({ id: 't', agent: 'a', input });
    expect(d({ p: 1, q: 2 })).toBe(d({ q: 2, p: 1 }));
    expect(d(new URL('http://a.example/'))).not.toBe(d(new URL('http://b.example/')));
    expect(d(new Float64Array([1, 2]))).toBe(d([1, 2]));
    expect(d(new Float64Array([1, 2]))).not.toBe(d([1, 3]));
  });
});

describe('definitionDigest', () => {
  it('is computed once per compiled definition, with the dependencies of the tasks that have any', () => {
    const wf = workflow({ name: 'w' });
    wf.task({ id: 'a', run: () => 1 });
    wf.task({ id: 'b', dependsOn: ['a'], run: () => 2 });
    wf.task({ id: 'c', dependsOn: [], run: () => 3 });
    const c = compiled(wf);
    const digest = definitionDigest(c);
    expect(definitionDigest(c)).toBe(digest);
    expect(digest.dependencies).toEqual({ b: ['a'] });
    expect(Object.keys(digest.tasks)).toEqual(['a', 'b', 'c']);
    expect(digest.tasks.b).toBe(taskDigest({ id: 'b', dependsOn: ['a'] }));
    expect(digest.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('changes with the workflow name and with any task', () => {
    const hash = (name: string, timeoutMs?: number) => {
      const wf = workflow({ name });
      wf.task({ id: 'a', run: () => 1, ...(timeoutMs !== undefined && { timeoutMs }) });
      return definitionDigest(compiled(wf)).hash;
    };
    expect(hash('w')).toBe(hash('w'));
    expect(hash('v')).not.toBe(hash('w'));
    expect(hash('w', 5)).not.toBe(hash('w'));
  });
});

describe('definitionChanges', () => {
  it('names the tasks added, removed and changed', () => {
    expect(definitionChanges({ a: '1', b: '2', c: '3' }, { a: '1', b: '9', d: '4' })).toEqual({ added: ['d'], removed: ['c'], changed: ['b'] });
    expect(definitionChanges({ a: '1' }, { a: '1' })).toEqual({ added: [], removed: [], changed: [] });
  });
});
