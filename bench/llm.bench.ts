import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { createAgentRegistry } from '../src/agents/agent-registry.js';
import { llmAgent } from '../src/llm/llm-agent.js';
import { defineTool } from '../src/tools/define-tool.js';
import { workflow } from '../src/workflow/index.js';
import { startScriptedLlmServer, type RecordedRequest, type ScriptedReply } from '../test/helpers/scripted-llm-server.js';
import type { BenchCase, BenchSuite } from './types.js';

// The agent loop's own cost per step: a model that answers at once (the scripted server on
// 127.0.0.1), one tool call per step until the last, then a final text. What is measured is the
// client and loop around the model call: building and sending the request, reading and parsing
// the answer, validating and running the tool, growing the conversation. The same loop runs in
// the Vercel AI SDK (`generateText`/`streamText` with a tool and `stopWhen: stepCountIs(n)`,
// through `@ai-sdk/openai-compatible` pointed at the same server). weft's side is what a user
// runs: an llmAgent task in a one-task workflow, its tool through the guarded executor (zod
// validation, call budget, loop detection). Both pay the same server and socket costs, so the
// difference is the libraries'; the server's own share is measured alone (`http round trip`).
const STEPS = 5;
const usage = { prompt_tokens: 20, completion_tokens: 5 };

function reply(req: RecordedRequest): ScriptedReply {
  const done = req.body.messages.filter((m) => m.role === 'tool').length;
  return done >= STEPS - 1 ? { text: 'The answer is 4.', usage } : { toolCalls: [{ id: `c${done}`, name: 'lookup', arguments: { n: done } }], usage };
}

const suite: BenchSuite = {
  name: 'llm',
  async cases(wanted) {
    const names = { json: `agent loop steps=${STEPS} tool-per-step json`, stream: `agent loop steps=${STEPS} tool-per-step stream` };
    const cases: BenchCase[] = [];
    if (!wanted(names.json) && !wanted(names.stream)) return cases;
    const server = await startScriptedLlmServer({ fallback: reply, record: false });
    server.unref();
    const lookupInput = z.object({ n: z.number().int() });
    const lookup = async ({ n }: { n: number }) => ({ n, value: `fact ${n}` });

    const lookupTool = defineTool({ name: 'lookup', description: 'Looks a fact up', input: lookupInput, run: lookup });
    const weft = (stream: boolean) => {
      const agent = llmAgent({ name: `bench-${stream ? 'stream' : 'json'}`, baseUrl: server.baseUrl, apiKey: 'sk-bench', model: 'bench', instructions: 'Use the tool.', tools: [lookupTool], maxSteps: STEPS, stream });
      const wf = workflow({ agents: createAgentRegistry([agent]) });
      wf.task({ id: 'ask', agent: agent.name, input: { prompt: 'What is the answer?' } });
      return async () => {
        const result = await wf.run();
        if (result.status !== 'succeeded') throw new Error(`weft: ${String(result.task('ask')?.error)}`);
      };
    };

    const provider = createOpenAICompatible({ name: 'bench', baseURL: server.baseUrl, apiKey: 'sk-bench', includeUsage: true });
    const model = provider.chatModel('bench');
    const aiTools = { lookup: tool({ description: 'Looks a fact up', inputSchema: lookupInput, execute: lookup }) };
    const ai = (stream: boolean) => async () => {
      const common = { model, system: 'Use the tool.', prompt: 'What is the answer?', tools: aiTools, stopWhen: stepCountIs(STEPS), maxRetries: 0 };
      const steps = stream ? await (async () => {
        const r = streamText(common);
        await r.consumeStream();
        return (await r.steps).length;
      })() : (await generateText(common)).steps.length;
      if (steps !== STEPS) throw new Error(`ai took ${steps} steps`);
    };

    // The floor: the same requests with bare fetch (server, sockets and JSON, no loop around them).
    const url = `${server.baseUrl}/chat/completions`;
    const bodies = Array.from({ length: STEPS }, (_, i) =>
      JSON.stringify({ model: 'bench', stream: false, messages: Array.from({ length: i }, (_, n) => ({ role: 'tool', tool_call_id: `c${n}`, content: '{}' })) }),
    );
    const bare = async () => {
      for (const body of bodies) await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' }, body })).json();
    };

    const variants = { json: { weft: weft(false), ai: ai(false), 'fetch only': bare }, stream: { weft: weft(true), ai: ai(true) } };
    for (const kind of ['json', 'stream'] as const) {
      if (!wanted(names[kind])) continue;
      // CPU per step (this process: client, loop and the server's share), alternating variants:
      // on a shared machine it holds better than wall time, which includes waiting for a core.
      const cpu: Record<string, number[]> = {};
      for (let round = 0; round < 5; round++) {
        for (const [variant, fn] of Object.entries(variants[kind])) {
          const before = process.cpuUsage();
          for (let i = 0; i < 8; i++) await fn();
          const used = process.cpuUsage(before);
          (cpu[variant] ??= []).push((used.user + used.system) / (8 * STEPS));
        }
      }
      const metrics = Object.fromEntries(Object.entries(cpu).map(([v, xs]) => [v, { cpuUsPerStep: xs.sort((a, b) => a - b)[xs.length >> 1] }]));
      cases.push({ name: names[kind], opsPerCall: STEPS, minSamples: 32, variants: variants[kind], metrics });
    }
    return cases;
  },
};

export default suite;
