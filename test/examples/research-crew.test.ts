import { describe, expect, it } from 'vitest';
import { runResearchCrew } from '../../examples/research-crew.js';

describe('examples/research-crew', () => {
  it('plans, researches in parallel with tools, and streams a report built from the notes', async () => {
    const deltas: string[] = [];
    const out = await runResearchCrew({ topic: 'solar power', onDelta: (d) => deltas.push(d) });
    expect(out.questions).toEqual(['How do solar power cells make electricity?', 'How have solar power panel prices changed?', 'How is solar power electricity stored?']);
    // Each note carries a passage the researcher's search tool found in the memory store.
    expect(Object.values(out.notes)).toEqual([
      'How do solar power cells make electricity? Photovoltaic cells turn sunlight directly into electricity in a semiconductor junction.',
      'How have solar power panel prices changed? Solar panel prices fell by about 90 percent between 2010 and 2020.',
      'How is solar power electricity stored? Grid batteries store solar electricity for the evening peak after sunset.',
    ]);
    expect(out.report).toBe(`Report\n\n${Object.values(out.notes).map((n) => `- ${n}`).join('\n')}\n`);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(out.report);

    // The three researchers were running at once: all started before the first one finished.
    const research = out.events.filter((e) => e.taskId?.startsWith('research-'));
    const firstDone = research.findIndex((e) => e.type === 'task:succeeded');
    expect(research.slice(0, firstDone).filter((e) => e.type === 'task:start')).toHaveLength(3);
    // The writer started only after every researcher.
    const order = out.events.filter((e) => e.type === 'task:succeeded' || (e.type === 'task:start' && e.taskId === 'write')).map((e) => `${e.type}:${e.taskId}`);
    expect(order.indexOf('task:start:write')).toBe(order.length - 2);
    expect(Object.keys(out.usage.agents).sort()).toEqual(['planner', 'researcher', 'writer']);
    expect(out.usage.agents.researcher.promptTokens).toBeGreaterThan(0);
  });
});
