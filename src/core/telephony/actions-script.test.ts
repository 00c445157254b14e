import { describe, expect, it } from 'vitest';
import { parseActionsScript } from './actions-script.js';
import { voicemailName } from './call-tracking.js';
import type { TelephonyCallRow } from './telephony.tables.js';

describe('ACTIONS10 scripts', () => {
  it('reads one action per item, with comments, blank lines and quotes', () => {
    const script = [
      '# the greeting',
      '- say: "Welcome to Acme"  # spoken in English',
      '',
      '- play: 12',
      "- wait: '1.5'",
      '- hangup',
    ].join('\n');
    expect(parseActionsScript(script)).toEqual({
      ok: true,
      actions: [
        { command: 'say', command_id: 2, params: { text: 'Welcome to Acme' } },
        { command: 'play', command_id: 4, params: { media_id: '12' } },
        { command: 'wait', command_id: 5, params: { seconds: '1.5' } },
        { command: 'hangup', command_id: 6, params: {} },
      ],
    });
  });

  it('names the line of what it cannot run', () => {
    expect(parseActionsScript('- wait: 1\n- dance: now')).toEqual({
      ok: false,
      error: "line 2: unknown action 'dance'",
    });
    expect(parseActionsScript('say: hello')).toEqual({
      ok: false,
      error: 'line 1: expected "- <action>: <value>"',
    });
    expect(parseActionsScript('# nothing\n')).toEqual({ ok: false, error: 'the script has no action' });
  });
});

describe('voicemail names', () => {
  it('fills the tags with the call and the local time of the voicemail', () => {
    const call = { id: 42, cli: '+33612345678', number: '+33140000001' } as TelephonyCallRow;
    const at = new Date('2026-01-02T23:30:05Z');
    expect(voicemailName('{DATETIME}-{CALLID}', call, at, 'UTC')).toBe('20260102233005-42');
    expect(voicemailName('{DATE}_{TIME}_{CLI}_{DID}{NOPE}', call, at, 'Europe/Paris')).toBe(
      '20260103_003005_33612345678_33140000001',
    );
  });
});
