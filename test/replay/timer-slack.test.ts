import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { setTimerSlack } from '../../src/replay/timer-slack.js';

const SLACK_FILE = '/proc/self/timerslack_ns';
const readSlack = () => readFileSync(SLACK_FILE, 'utf8').trim();

describe('setTimerSlack', () => {
  it('rejects a slack that is not an integer >= 1', () => {
    expect(() => setTimerSlack(0)).toThrow(/Expected `ns` to be an integer >= 1, got `0`/);
    expect(() => setTimerSlack(1.5)).toThrow(RangeError);
  });

  // Vitest runs this file in a forked process's main thread, the one thread whose slack Linux shows.
  it('sets the main thread\'s slack and puts the previous one back (Linux; elsewhere it changes nothing)', () => {
    if (process.platform !== 'linux') {
      expect(setTimerSlack()).toBeUndefined();
      return;
    }
    const before = readSlack();
    const restore = setTimerSlack(1234);
    expect(restore).toBeTypeOf('function');
    expect(readSlack()).toBe('1234');
    restore!();
    expect(readSlack()).toBe(before);
  });
});
