import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { runAgentLoop, type LoopConfig, type LoopContext, type LoopTools } from '../src/llm/agent-loop.js';
import { createChatClient } from '../src/llm/chat-client.js';
import { startScriptedLlmServer, type RecordedRequest, type ScriptedReply } from '../test/helpers/scripted-llm-server.js';
import type { BenchCase, BenchSuite } from './types.js';

// The agent loop's own cost per step: a model that answers at once (the scripted server on
// 127.0.0.1), one tool call per step until the last, then a final text. What is measured is the
// client and loop around the model call: building and sending the request, reading and parsing
// the answer, validating and running the tool, growing the conversation. The same loop runs in
// the Vercel AI SDK (`generateText`/`streamText` with a tool and `stopWhen: stepCountIs(n)`,
// through `@ai-sdk/openai-compatible` pointed at the same server). Both pay the same server and
// socket costs, so the difference is the libraries'.
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

    const weftTools: LoopTools = {
      definitions: [{ type: 'function', function: { name: 'lookup', description: 'Looks a fact up', parameters: z.toJSONSchema(lookupInput) } }],
      call: async (_name, args) => lookup(lookupInput.parse(args)),
      isFatal: () => false,
    };
    const client = createChatClient({ baseUrl: server.baseUrl, apiKey: 'sk-bench', model: 'bench' });
    const ctx: LoopContext = { signal: new AbortController().signal, reportUsage() {}, reportBytes() {}, stream() {} };
    const weftConfig = (stream: boolean): LoopConfig => ({ name: 'bench', client, instructions: 'Use the tool.', maxSteps: STEPS, maxToolErrors: 3, stream, prices: undefined, output: undefined, body: {} });
    const weft = (stream: boolean) => {
      const c = weftConfig(stream);
      return async () => {
        const out = await runAgentLoop(c, { prompt: 'What is the answer?' }, ctx, weftTools);
        if (out.steps !== STEPS) throw new Error(`weft took ${out.steps} steps`);
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

    if (wanted(names.json)) cases.push({ name: names.json, opsPerCall: STEPS, minSamples: 32, variants: { weft: weft(false), ai: ai(false) } });
    if (wanted(names.stream)) cases.push({ name: names.stream, opsPerCall: STEPS, minSamples: 32, variants: { weft: weft(true), ai: ai(true) } });
    return cases;
  },
};

export default suite;
