import { describe, expect, it } from 'vitest';
import type { CarrierEvent } from './call-placer.js';
import { CarrierSimulator } from './carrier-simulator.js';
import { VirtualClock } from './clock.js';

const request = (to: string, detectMachine = false) => ({
  accountId: 1,
  attemptId: 1,
  to,
  record: false,
  detectMachine,
});

function harness(options: Partial<ConstructorParameters<typeof CarrierSimulator>[0]> = {}) {
  const clock = new VirtualClock(new Date('2026-01-06T08:00:00Z'));
  const carrier = new CarrierSimulator({ seed: 1, clock, ...options });
  const events: CarrierEvent[] = [];
  carrier.onEvent((event) => {
    events.push(event);
  });
  const typesOf = (id: string) =>
    events.filter((event) => event.carrierCallId === id).map((event) => event.type);
  return { clock, carrier, events, typesOf };
}

describe('VirtualClock', () => {
  it('runs due timers in time order, then in the order they were set, and honours cancel', async () => {
    const clock = new VirtualClock(new Date('2026-01-06T08:00:00Z'));
    const ran: string[] = [];
    clock.setTimer(2_000, () => void ran.push('b'));
    clock.setTimer(1_000, () => void ran.push('a'));
    clock.setTimer(2_000, () => void ran.push('c'));
    const cancel = clock.setTimer(1_500, () => void ran.push('cancelled'));
    clock.setTimer(new Date('2026-01-06T08:00:05Z'), () => {
      ran.push(`d@${clock.now().toISOString().slice(11, 19)}`);
      clock.setTimer(500, () => void ran.push('e'));
    });
    cancel();
    await clock.advanceAsync(4_000);
    expect(ran).toEqual(['a', 'b', 'c']);
    await clock.advanceAsync(2_000);
    expect(ran).toEqual(['a', 'b', 'c', 'd@08:00:05', 'e']);
    expect(clock.now().toISOString()).toBe('2026-01-06T08:00:06.000Z');
  });
});

describe('CarrierSimulator', () => {
  it('plays forced outcomes exactly, with the event sequences the port documents', async () => {
    const { clock, carrier, typesOf } = harness({
      forcedOutcomes: {
        '33600000001': { outcome: 'answer', ringSeconds: 5, talkSeconds: 60 },
        '33600000002': 'busy',
        '33600000003': 'no_answer',
        '33600000004': 'invalid_number',
        '+33 6 00 00 00 05': 'machine',
      },
    });
    const answered = await carrier.place(request('+33600000001'));
    const busy = await carrier.place(request('33600000002'));
    const noAnswer = await carrier.place(request('33600000003'));
    const invalid = await carrier.place(request('33600000004'));
    const machine = await carrier.place(request('33600000005', true));
    await clock.advanceAsync(5_000);
    expect(typesOf(answered.carrierCallId)).toEqual(['ringing', 'answered']);
    await carrier.connect(answered.carrierCallId, 7);
    await clock.advanceAsync(60_000);
    expect(typesOf(answered.carrierCallId)).toEqual(['ringing', 'answered', 'hangup']);
    expect(typesOf(busy.carrierCallId)).toEqual(['ringing', 'busy']);
    expect(typesOf(noAnswer.carrierCallId)).toEqual(['ringing', 'no_answer']);
    expect(typesOf(invalid.carrierCallId)).toEqual(['invalid_number']);
    expect(typesOf(machine.carrierCallId)).toEqual(['ringing', 'machine']);
    expect(carrier.counters).toMatchObject({
      placed: 5,
      connected: 1,
      abandoned: 0,
      machinesDetected: 1,
      live: 0,
    });
    expect(carrier.counters.talkSeconds).toBe(60);
    expect(carrier.call(answered.carrierCallId)).toMatchObject({ agentId: 7, endedBy: 'party' });
  });

  it('reports an undetected machine as answered', async () => {
    const { clock, carrier, typesOf } = harness({ forcedOutcomes: { '1': 'machine' } });
    const call = await carrier.place(request('1', false));
    await clock.advanceAsync(30_000);
    expect(typesOf(call.carrierCallId)).toContain('answered');
  });

  it('counts an answered call hung up before any agent as abandoned, and refuses to connect it', async () => {
    const { clock, carrier } = harness({ forcedOutcomes: { '2': { outcome: 'answer', ringSeconds: 3 } } });
    const call = await carrier.place(request('2'));
    await expect(carrier.connect(call.carrierCallId, 1)).rejects.toThrow(/not answered/);
    await clock.advanceAsync(3_000);
    await carrier.hangUp(call.carrierCallId);
    await carrier.hangUp(call.carrierCallId);
    expect(carrier.counters.abandoned).toBe(1);
    await expect(carrier.connect(call.carrierCallId, 1)).rejects.toThrow();
  });

  it('lets a person left in silence hang up (abandoned) and cancels a ringing call without events', async () => {
    const { clock, carrier, typesOf } = harness({
      forcedOutcomes: {
        '3': { outcome: 'answer', ringSeconds: 2 },
        '4': { outcome: 'answer', ringSeconds: 20 },
      },
    });
    const silent = await carrier.place(request('3'));
    const cancelled = await carrier.place(request('4'));
    await clock.advanceAsync(1_000);
    await carrier.hangUp(cancelled.carrierCallId);
    await clock.advanceAsync(60_000);
    expect(typesOf(silent.carrierCallId)).toEqual(['ringing', 'answered', 'hangup']);
    expect(typesOf(cancelled.carrierCallId)).toEqual(['ringing']);
    expect(carrier.counters).toMatchObject({ abandoned: 1, cancelledWhileRinging: 1, live: 0 });
  });

  it('draws about 30% answers by default, the same for the same seed', async () => {
    const run = async (seed: number) => {
      const { clock, carrier } = harness({ seed });
      for (let index = 0; index < 4_000; index += 1) await carrier.place(request(String(index)));
      await clock.advanceAsync(60_000);
      return { ...carrier.counters.outcomes, wrapup: carrier.sampleWrapupSeconds() };
    };
    const first = await run(5);
    expect(await run(5)).toEqual(first);
    expect(first.answer / 4_000).toBeGreaterThan(0.27);
    expect(first.answer / 4_000).toBeLessThan(0.33);
    expect(await run(6)).not.toEqual(first);
    expect(first.wrapup).toBeGreaterThanOrEqual(5);
  });
});
