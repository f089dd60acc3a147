// Types of agents.mjs for the bench that imports it.
import type { AgentRegistry } from '../../dist/index.js';

export declare const agents: AgentRegistry;
