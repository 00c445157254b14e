/**
 * A carrier behind the `CallPlacer` port, for tests and the dialer bench: seeded (the same seed and
 * the same sequence of calls give the same outcomes and times), driven by a `Clock` (a virtual one
 * runs an 8-hour day in seconds). A later issue replaces it with real SIP behind the same port.
 *
 * Each placed call draws its outcome (person, machine, busy, no answer, invalid number, failure)
 * and its ring time; a person who answers talks for a drawn talk time once connected to an agent,
 * then hangs up (`hangup`). A person left without an agent hangs up after `silenceHangupSeconds`;
 * an answered call the dialer hangs up before connecting it is counted as abandoned.
 *
 * Inbound calls (`injectInbound`): a caller (drawn from the seed unless given) calls a DID; the
 * handler set by `onInboundCall` accepts or refuses the offer; an accepted call rings until `answer`
 * (the caller gives up after `inboundPatienceSeconds`), then goes on like an answered placed call:
 * once connected the caller talks for its talk time and hangs up.
 */
import { randomUUID } from 'node:crypto';
import type {
  CallPlacer,
  CarrierEvent,
  CarrierEventHandler,
  CarrierEventType,
  PlaceCallRequest,
} from './call-placer.js';
import type { CancelTimer, Clock } from './clock.js';
import type {
  InboundCallDecision,
  InboundCallHandler,
  InboundCallOffer,
  InboundCallPort,
} from './inbound-port.js';
import { type Duration, pickWeighted, sampleDuration, seededRandom } from './simulated-random.js';

/** What a dialled number does. `machine` is reported as `answered` unless detection was asked. */
export type SimulatedOutcome = 'answer' | 'machine' | 'busy' | 'no_answer' | 'invalid_number' | 'failed';

/** A forced behaviour for one number (tests): the outcome, and optionally its times. */
export interface ForcedCall {
  outcome: SimulatedOutcome;
  ringSeconds?: number;
  talkSeconds?: number;
}

export interface CarrierSimulatorOptions {
  seed: number;
  clock: Clock;
  /** Relative weights of the outcomes (normalized); defaults: answer 30%, see `defaultOutcomeWeights`. */
  outcomeWeights?: Partial<Record<SimulatedOutcome, number>>;
  /** Time from dial to the outcome, per outcome. */
  ringSeconds?: Partial<Record<SimulatedOutcome, Duration>>;
  /** A person's talk time once connected. */
  talkSeconds?: Duration;
  /** How long an undetected machine "talks" (its greeting) once connected. */
  machineMessageSeconds?: Duration;
  /** Simulated agents' wrap-up time (`sampleWrapupSeconds`). */
  wrapupSeconds?: Duration;
  /** A person who answered and hears nobody hangs up after this long. */
  silenceHangupSeconds?: number;
  /** An inbound caller nobody picks up for hangs up after this long. */
  inboundPatienceSeconds?: number;
  /**
   * Prefix of the carrier call ids; defaults to a random tag per simulator, so simulators sharing a
   * database (ids are unique across accounts) never hand out the same id. Outcomes do not depend on it.
   */
  callIdPrefix?: string;
  /** Outcomes forced per number (digits only, as dialled without "+"): end-to-end tests are exact. */
  forcedOutcomes?: Record<string, SimulatedOutcome | ForcedCall>;
}

export const defaultOutcomeWeights: Record<SimulatedOutcome, number> = {
  answer: 0.3,
  no_answer: 0.4,
  busy: 0.15,
  machine: 0.1,
  invalid_number: 0.05,
  failed: 0,
};

export const defaultRingSeconds: Record<SimulatedOutcome, Duration> = {
  answer: { kind: 'uniform', min: 5, max: 20 },
  machine: { kind: 'uniform', min: 8, max: 20 },
  busy: { kind: 'uniform', min: 2, max: 6 },
  no_answer: { kind: 'fixed', seconds: 30 },
  invalid_number: { kind: 'uniform', min: 0.5, max: 2 },
  failed: { kind: 'fixed', seconds: 1 },
};

export const defaultTalkSeconds: Duration = { kind: 'lognormal', mean: 180, sd: 120, min: 15, max: 1800 };
export const defaultWrapupSeconds: Duration = { kind: 'uniform', min: 5, max: 25 };
export const defaultMachineMessageSeconds: Duration = { kind: 'uniform', min: 10, max: 30 };

/** Where a simulated call is. */
export type SimulatedCallState = 'ringing' | 'answered' | 'connected' | 'ended';

export interface SimulatedCall {
  carrierCallId: string;
  /** Inbound calls read as if dialled: `to` is the DID, `from` the caller; account and attempt are 0. */
  direction: 'outbound' | 'inbound';
  request: PlaceCallRequest;
  outcome: SimulatedOutcome;
  state: SimulatedCallState;
  placedAt: Date;
  answeredAt?: Date;
  connectedAt?: Date;
  endedAt?: Date;
  agentId?: number;
  /** Who ended it: the called party, the dialer (`hangUp`), or the carrier (busy, no answer…). */
  endedBy?: 'party' | 'dialer' | 'carrier';
  abandoned: boolean;
}

/** Totals for the bench. Seconds are simulated seconds. */
export interface CarrierCounters {
  placed: number;
  outcomes: Record<SimulatedOutcome, number>;
  /** Answered by a person (or an undetected machine) and reported `answered`. */
  answered: number;
  machinesDetected: number;
  connected: number;
  /** Answered calls that ended without ever being connected to an agent. */
  abandoned: number;
  cancelledWhileRinging: number;
  /** Seconds connected to a person, and to an undetected machine. */
  talkSeconds: number;
  machineTalkSeconds: number;
  live: number;
  maxLive: number;
  /** Errors thrown by event handlers (also passed to `onHandlerError`). */
  handlerErrors: number;
  /** Inbound calls offered, and those Parley refused. */
  inboundOffered: number;
  inboundRefused: number;
}

/** An inbound call to simulate; what is not given is drawn from the seed. */
export interface InboundCallRequest {
  /** The DID called, E.164. */
  to: string;
  /** The caller, E.164 ("" for a withheld number); drawn when absent. */
  from?: string;
  /** How long the caller talks once connected (or stays on for a voicemail); drawn when absent. */
  talkSeconds?: number;
}

export interface InboundCallResult {
  carrierCallId: string;
  from: string;
  to: string;
  decision: InboundCallDecision;
}

interface LiveCall extends SimulatedCall {
  talkSeconds: number;
  timer?: CancelTimer;
}

export class CarrierSimulator implements CallPlacer, InboundCallPort {
  readonly counters: CarrierCounters = {
    placed: 0,
    outcomes: { answer: 0, machine: 0, busy: 0, no_answer: 0, invalid_number: 0, failed: 0 },
    answered: 0,
    machinesDetected: 0,
    connected: 0,
    abandoned: 0,
    cancelledWhileRinging: 0,
    talkSeconds: 0,
    machineTalkSeconds: 0,
    live: 0,
    maxLive: 0,
    handlerErrors: 0,
    inboundOffered: 0,
    inboundRefused: 0,
  };
  /** Called with each error an event handler throws (default: ignored beyond the counter). */
  onHandlerError: (error: unknown, event: CarrierEvent) => void = () => undefined;

  private readonly random: () => number;
  private readonly wrapupRandom: () => number;
  private readonly clock: Clock;
  private readonly weights: Record<SimulatedOutcome, number>;
  private readonly ring: Record<SimulatedOutcome, Duration>;
  private readonly talk: Duration;
  private readonly machineMessage: Duration;
  private readonly wrapup: Duration;
  private readonly silenceHangupSeconds: number;
  private readonly inboundPatienceSeconds: number;
  private inboundHandler: InboundCallHandler | undefined;
  private readonly forced = new Map<string, ForcedCall>();
  private readonly calls = new Map<string, LiveCall>();
  private readonly handlers = new Set<CarrierEventHandler>();
  private sequence = 0;
  private readonly callIdPrefix: string;

  constructor(options: CarrierSimulatorOptions) {
    this.clock = options.clock;
    this.random = seededRandom(options.seed);
    // A separate stream, so agents' wrap-ups do not shift the calls' draws.
    this.wrapupRandom = seededRandom(options.seed ^ 0x5bd1e995);
    this.weights = { ...defaultOutcomeWeights, ...options.outcomeWeights };
    this.ring = { ...defaultRingSeconds, ...options.ringSeconds };
    this.talk = options.talkSeconds ?? defaultTalkSeconds;
    this.machineMessage = options.machineMessageSeconds ?? defaultMachineMessageSeconds;
    this.wrapup = options.wrapupSeconds ?? defaultWrapupSeconds;
    this.silenceHangupSeconds = options.silenceHangupSeconds ?? 8;
    this.inboundPatienceSeconds = options.inboundPatienceSeconds ?? 60;
    this.callIdPrefix = options.callIdPrefix ?? `sim-${randomUUID().slice(0, 8)}`;
    for (const [number, forced] of Object.entries(options.forcedOutcomes ?? {})) {
      this.forceOutcome(number, forced);
    }
  }

  /** Forces what a number does from now on (digits; "+", spaces and dashes are ignored). */
  forceOutcome(number: string, forced: SimulatedOutcome | ForcedCall): void {
    this.forced.set(digits(number), typeof forced === 'string' ? { outcome: forced } : forced);
  }

  /** A simulated agent's wrap-up time, drawn from the wrap-up distribution. */
  sampleWrapupSeconds(): number {
    return sampleDuration(this.wrapup, this.wrapupRandom);
  }

  /** A placed call as the carrier knows it (tests, bench). */
  call(carrierCallId: string): SimulatedCall | undefined {
    return this.calls.get(carrierCallId);
  }

  /** Every call placed so far, in placing order. */
  allCalls(): SimulatedCall[] {
    return [...this.calls.values()];
  }

  onEvent(handler: CarrierEventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  place(request: PlaceCallRequest): Promise<{ carrierCallId: string }> {
    this.sequence += 1;
    const carrierCallId = `${this.callIdPrefix}-${this.sequence}`;
    const forced = this.forced.get(digits(request.to));
    // Always draw, so forcing one number does not shift the others' outcomes.
    const drawn = pickWeighted(this.weights, this.random);
    const outcome = forced?.outcome ?? drawn;
    const ringDrawn = sampleDuration(this.ring[outcome], this.random);
    const talkDrawn = sampleDuration(outcome === 'machine' ? this.machineMessage : this.talk, this.random);
    const call: LiveCall = {
      carrierCallId,
      direction: 'outbound',
      request,
      outcome,
      state: 'ringing',
      placedAt: this.clock.now(),
      abandoned: false,
      talkSeconds: forced?.talkSeconds ?? talkDrawn,
    };
    this.calls.set(carrierCallId, call);
    this.counters.placed += 1;
    this.counters.outcomes[outcome] += 1;
    this.counters.live += 1;
    this.counters.maxLive = Math.max(this.counters.maxLive, this.counters.live);
    // Events come at least half a second after placing, so the dialer can store the reference first.
    const ringMs = Math.max(500, Math.round((forced?.ringSeconds ?? ringDrawn) * 1000));
    if (outcome !== 'invalid_number' && outcome !== 'failed') {
      this.clock.setTimer(Math.min(500, ringMs), () =>
        call.state === 'ringing' ? this.emit(carrierCallId, 'ringing') : undefined,
      );
    }
    call.timer = this.clock.setTimer(ringMs, () => this.settle(carrierCallId));
    return Promise.resolve({ carrierCallId });
  }

  onInboundCall(handler: InboundCallHandler): void {
    this.inboundHandler = handler;
  }

  /**
   * A caller calls a DID: the offer goes to the inbound handler, whose decision is returned. An
   * accepted call rings until `answer`; a refused one is over. The caller and talk time are always
   * drawn, so giving them does not shift the next calls' draws.
   */
  async injectInbound(request: InboundCallRequest): Promise<InboundCallResult> {
    if (!this.inboundHandler) throw new Error('no inbound call handler is set');
    this.sequence += 1;
    const carrierCallId = `${this.callIdPrefix}-in-${this.sequence}`;
    const drawnFrom = `+336${String(Math.floor(this.random() * 1e8)).padStart(8, '0')}`;
    const talkDrawn = sampleDuration(this.talk, this.random);
    const from = request.from ?? drawnFrom;
    const call: LiveCall = {
      carrierCallId,
      direction: 'inbound',
      request: { accountId: 0, attemptId: 0, to: request.to, from, record: false, detectMachine: false },
      outcome: 'answer',
      state: 'ringing',
      placedAt: this.clock.now(),
      abandoned: false,
      talkSeconds: request.talkSeconds ?? talkDrawn,
    };
    this.counters.inboundOffered += 1;
    const offer: InboundCallOffer = { carrierCallId, from, to: request.to, at: call.placedAt };
    const decision = await this.inboundHandler(offer);
    if (!decision.accepted) {
      this.counters.inboundRefused += 1;
      return { carrierCallId, from, to: request.to, decision };
    }
    call.request = { ...call.request, accountId: decision.accountId, attemptId: decision.telephonyCallId };
    this.calls.set(carrierCallId, call);
    this.counters.live += 1;
    this.counters.maxLive = Math.max(this.counters.maxLive, this.counters.live);
    call.timer = this.clock.setTimer(this.inboundPatienceSeconds * 1000, () => {
      if (call.state !== 'ringing') return undefined;
      this.end(call, 'party');
      return this.emit(carrierCallId, 'hangup');
    });
    return { carrierCallId, from, to: request.to, decision };
  }

  answer(carrierCallId: string): Promise<void> {
    const call = this.calls.get(carrierCallId);
    if (call?.direction !== 'inbound' || call.state !== 'ringing') {
      return Promise.reject(new Error(`call ${carrierCallId} is not an inbound call ringing`));
    }
    call.timer?.();
    // Reported once the carrier has the answer, as a real one would.
    this.clock.setTimer(0, () => this.pickedUp(call));
    call.state = 'answered';
    return Promise.resolve();
  }

  connect(carrierCallId: string, agentId: number): Promise<void> {
    const call = this.calls.get(carrierCallId);
    if (call?.state !== 'answered') {
      return Promise.reject(new Error(`call ${carrierCallId} is not answered and waiting`));
    }
    call.timer?.();
    call.state = 'connected';
    call.agentId = agentId;
    call.connectedAt = this.clock.now();
    this.counters.connected += 1;
    call.timer = this.clock.setTimer(Math.round(call.talkSeconds * 1000), () => {
      this.end(call, 'party');
      return this.emit(carrierCallId, 'hangup');
    });
    return Promise.resolve();
  }

  hangUp(carrierCallId: string): Promise<void> {
    const call = this.calls.get(carrierCallId);
    if (call === undefined || call.state === 'ended') return Promise.resolve();
    call.timer?.();
    if (call.state === 'ringing') this.counters.cancelledWhileRinging += 1;
    this.end(call, 'dialer');
    return Promise.resolve();
  }

  /** The ring time is over: the outcome happens. */
  private settle(carrierCallId: string): Promise<void> {
    const call = this.calls.get(carrierCallId);
    if (call?.state !== 'ringing') return Promise.resolve();
    const now = this.clock.now();
    const machineDetected = call.outcome === 'machine' && call.request.detectMachine;
    if (call.outcome === 'answer' || (call.outcome === 'machine' && !machineDetected)) {
      call.state = 'answered';
      return this.pickedUp(call);
    }
    if (machineDetected) {
      call.answeredAt = now;
      this.counters.machinesDetected += 1;
    }
    // A machine the dialer was told about: the carrier drops it, as it does busy and no-answer calls.
    this.end(call, 'carrier');
    const type: CarrierEventType = machineDetected ? 'machine' : call.outcome;
    return this.emit(carrierCallId, type);
  }

  /** The line is open: reported `answered`; left without anyone on it, the person hangs up after a while. */
  private pickedUp(call: LiveCall): Promise<void> {
    if (call.state !== 'answered') return Promise.resolve();
    call.answeredAt = this.clock.now();
    this.counters.answered += 1;
    // A machine keeps playing: same rule.
    call.timer = this.clock.setTimer(this.silenceHangupSeconds * 1000, () => {
      this.end(call, 'party');
      return this.emit(call.carrierCallId, 'hangup');
    });
    return this.emit(call.carrierCallId, 'answered');
  }

  private end(call: SimulatedCall, by: 'party' | 'dialer' | 'carrier'): void {
    const now = this.clock.now();
    if (call.state === 'connected' && call.connectedAt) {
      const seconds = (now.getTime() - call.connectedAt.getTime()) / 1000;
      if (call.outcome === 'machine') this.counters.machineTalkSeconds += seconds;
      else this.counters.talkSeconds += seconds;
    }
    if (call.state === 'answered') {
      call.abandoned = true;
      this.counters.abandoned += 1;
    }
    call.state = 'ended';
    call.endedAt = now;
    call.endedBy = by;
    this.counters.live -= 1;
  }

  private async emit(carrierCallId: string, type: CarrierEventType): Promise<void> {
    const event: CarrierEvent = { carrierCallId, type, at: this.clock.now() };
    for (const handler of this.handlers) {
      try {
        await handler(event);
      } catch (error) {
        this.counters.handlerErrors += 1;
        this.onHandlerError(error, event);
      }
    }
  }
}

function digits(number: string): string {
  return number.replace(/\D/g, '');
}
