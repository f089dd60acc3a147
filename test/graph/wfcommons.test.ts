import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseTrace, readTrace } from '../../src/graph/wfcommons.js';

const montage = new URL('../../examples/traces/montage-chameleon-2mass-01d-001.json', import.meta.url);

function minimal(tasks: unknown[], execution: unknown[] = []) {
  return { name: 'mini', workflow: { specification: { tasks }, execution: { makespanInSeconds: 3, tasks: execution } } };
}

describe('readTrace', () => {
  it('reads a real WfCommons trace: tasks, deduplicated edges, runtimes, makespan', async () => {
    const t = await readTrace(montage);
    expect(t.name).toBe('montage');
    expect(t.ids).toHaveLength(103);
    expect(t.graph.targets).toHaveLength(231);
    expect(t.makespanSeconds).toBe(1362);
    expect(t.runtimeSeconds[t.ids.indexOf('mProject_ID0000001')]).toBe(15.712);
  });

  it('fails with TRACE_INVALID for a missing file', async () => {
    await expect(readTrace('/nonexistent/trace.json')).rejects.toMatchObject({
      code: 'TRACE_INVALID',
      message: expect.stringMatching(/^invalid workflow trace \/nonexistent\/trace.json: cannot be read \(ENOENT/),
    });
  });
});

describe('parseTrace', () => {
  it('accepts edges listed as parents, children or both', () => {
    const t = parseTrace(
      minimal(
        [{ id: 'a', children: ['b'] }, { id: 'b', parents: ['a'] }, { id: 'c', parents: ['b'] }],
        [{ id: 'a', runtimeInSeconds: 1 }, { id: 'b', runtimeInSeconds: 2 }, { id: 'c', runtimeInSeconds: 0 }],
      ),
    );
    expect([...t.graph.offsets]).toEqual([0, 1, 2, 2]);
    expect([...t.graph.targets]).toEqual([1, 2]);
    expect([...t.runtimeSeconds]).toEqual([1, 2, 0]);
  });

  it('names each problem', async () => {
    const text = await readFile(montage, 'utf8');
    expect(() => parseTrace(text.slice(0, 100), 'x.json')).toThrow(/^invalid workflow trace x.json: not JSON/);
    expect(() => parseTrace('[]')).toThrow('invalid workflow trace <trace>: the document must be a JSON object');
    expect(() => parseTrace({ workflow: {} })).toThrow('$.workflow.specification must be an object');
    expect(() => parseTrace(minimal([{ id: 'a' }, { id: 'a' }]))).toThrow('duplicate task id "a"');
    expect(() => parseTrace(minimal([{ id: 'a', parents: ['z'] }]))).toThrow('task "a" lists unknown parent "z"');
    expect(() => parseTrace(minimal([{ id: 'a' }]))).toThrow('task "a" has no runtimeInSeconds in workflow.execution.tasks');
    expect(() => parseTrace(minimal([{ id: 'a' }], [{ id: 'a', runtimeInSeconds: -1 }]))).toThrow(
      'task "a": runtimeInSeconds must be a finite number >= 0, got -1',
    );
    expect(() => parseTrace(minimal([{ id: 7 }]))).toThrow('$.workflow.specification.tasks[0].id must be a non-empty string');
  });
});
