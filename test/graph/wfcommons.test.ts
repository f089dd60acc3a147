import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { TraceInvalidError } from '../../src/errors.js';
import { parseTrace, readTrace } from '../../src/graph/wfcommons.js';

// The bundled traces (examples/traces), also used by `npm start`.
const montage = new URL('../../examples/traces/montage-chameleon-2mass-01d-001.json', import.meta.url);
const srasearch = new URL('../../examples/traces/srasearch-chameleon-20a-001.json', import.meta.url);

function minimal(tasks: unknown[], execution: unknown[] = []) {
  return { name: 'mini', workflow: { specification: { tasks }, execution: { makespanInSeconds: 3, tasks: execution } } };
}

const ran = (...ids: string[]) => ids.map((id, i) => ({ id, runtimeInSeconds: i + 1 }));

function invalid(input: unknown, why: string, source = '<trace>') {
  expect(() => parseTrace(input, source)).toThrow(new TraceInvalidError(source, why));
}

describe('readTrace', () => {
  it('reads a real WfCommons trace: tasks in specification order, deduplicated edges, runtimes, makespan', async () => {
    const t = await readTrace(montage);
    expect(t.name).toBe('montage');
    expect(t.source).toBe(montage.pathname);
    expect(t.ids).toHaveLength(103);
    expect(t.graph.nodeCount).toBe(103);
    // Every edge appears as a parent and as a child entry in the file; each is kept once.
    expect(t.graph.targets).toHaveLength(231);
    expect(t.makespanSeconds).toBe(1362);
    expect(t.runtimeSeconds[t.ids.indexOf('mProject_ID0000001')]).toBe(15.712);
    const doc = JSON.parse(await readFile(montage, 'utf8'));
    expect(t.ids).toEqual(doc.workflow.specification.tasks.map((task: { id: string }) => task.id));
  });

  it('parses text and an already parsed object alike', async () => {
    const text = await readFile(srasearch, 'utf8');
    const fromText = parseTrace(text, 'x');
    expect(parseTrace(JSON.parse(text), 'x')).toEqual(fromText);
    expect(fromText.ids).toHaveLength(42);
    expect(fromText.graph.targets).toHaveLength(60);
  });

  it('fails with TRACE_INVALID for a missing file, and with the abort reason when aborted', async () => {
    await expect(readTrace('/nonexistent/trace.json')).rejects.toMatchObject({
      code: 'TRACE_INVALID',
      message: expect.stringMatching(/^invalid workflow trace \/nonexistent\/trace.json: cannot be read \(ENOENT/),
    });
    await expect(readTrace(montage, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('parseTrace', () => {
  it('accepts edges listed as parents, children or both, and runtimes in any order', () => {
    const t = parseTrace(
      minimal(
        [{ id: 'a', children: ['b', 'c'] }, { id: 'b', parents: ['a'] }, { id: 'c', parents: ['b', 'a'] }],
        [{ id: 'c', runtimeInSeconds: 0 }, { id: 'a', runtimeInSeconds: 1 }, { id: 'b', runtimeInSeconds: 2.5 }],
      ),
    );
    expect(t).toMatchObject({ name: 'mini', source: '<trace>', ids: ['a', 'b', 'c'], makespanSeconds: 3 });
    expect([...t.graph.offsets]).toEqual([0, 2, 3, 3]);
    expect([...t.graph.targets]).toEqual([1, 2, 2]);
    expect([...t.runtimeSeconds]).toEqual([1, 2.5, 0]);
  });

  it('refuses repeated execution entries and runtimes that overflow in milliseconds', () => {
    invalid(minimal([{ id: 'a' }], [{ id: 'a', runtimeInSeconds: 5 }, { id: 'a', runtimeInSeconds: 7 }]), '$.workflow.execution.tasks[1] repeats task "a"');
    invalid(minimal([{ id: 'a' }], [{ id: 'a', runtimeInSeconds: 1e306 }]), 'task "a": runtimeInSeconds must be a finite number >= 0, got 1e+306');
  });

  it('leaves out a makespan the trace does not record, and names an unnamed workflow', () => {
    const t = parseTrace({ workflow: { specification: { tasks: [{ id: 'a' }] }, execution: { tasks: ran('a') } } });
    expect(t.makespanSeconds).toBeUndefined();
    expect(t.name).toBe('(unnamed)');
  });

  it('names each structural problem', () => {
    expect(() => parseTrace('{"workflow":', 'x.json')).toThrow(/^invalid workflow trace x.json: not JSON \(/);
    expect(() => parseTrace('{"workflow":')).toThrow(expect.objectContaining({ code: 'TRACE_INVALID', cause: expect.any(SyntaxError) }));
    invalid('[]', 'the document must be a JSON object');
    invalid(null, 'the document must be a JSON object');
    invalid({}, '$.workflow must be an object');
    invalid({ workflow: {} }, '$.workflow.specification must be an object');
    invalid({ workflow: { specification: { tasks: {} } } }, '$.workflow.specification.tasks must be an array');
    invalid({ workflow: { specification: { tasks: [] }, execution: [] } }, '$.workflow.execution must be an object');
    invalid({ workflow: { specification: { tasks: [] }, execution: {} } }, '$.workflow.execution.tasks must be an array');
    invalid(minimal(['a']), '$.workflow.specification.tasks[0] must be an object');
    invalid(minimal([{ id: 7 }]), '$.workflow.specification.tasks[0].id must be a non-empty string');
    invalid(minimal([{ id: 'a' }, { id: 'a' }]), 'duplicate task id "a"');
  });

  it('names each bad edge', () => {
    invalid(minimal([{ id: 'a', parents: ['z'] }]), 'task "a" lists unknown parent "z"');
    invalid(minimal([{ id: 'a', children: [3] }]), 'task "a" lists unknown child 3');
    invalid(minimal([{ id: 'a', children: 'b' }, { id: 'b' }]), 'task "a": children must be an array');
    invalid(minimal([{ id: 'a', parents: ['a'] }]), 'task "a" depends on itself');
  });

  it('names each bad runtime', () => {
    invalid(minimal([{ id: 'a' }, { id: 'b' }], ran('a')), 'task "b" has no runtimeInSeconds in workflow.execution.tasks');
    invalid({ workflow: { specification: { tasks: [{ id: 'a' }] } } }, 'task "a" has no runtimeInSeconds in workflow.execution.tasks');
    invalid(minimal([{ id: 'a' }], [{ id: 'a', runtimeInSeconds: -1 }]), 'task "a": runtimeInSeconds must be a finite number >= 0, got -1');
    invalid(minimal([{ id: 'a' }], [{ id: 'a', runtimeInSeconds: '12' }]), 'task "a": runtimeInSeconds must be a finite number >= 0, got "12"');
    invalid(minimal([{ id: 'a' }], [{ id: 'a' }]), 'task "a": runtimeInSeconds must be a finite number >= 0, got undefined');
    invalid(minimal([{ id: 'a' }], [...ran('a'), { id: 'q', runtimeInSeconds: 1 }]), '$.workflow.execution.tasks[1] is unknown task "q"');
    invalid(minimal([{ id: 'a' }], [7]), '$.workflow.execution.tasks[0] must be an object');
  });
});
