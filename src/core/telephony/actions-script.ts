import type { RealtimeResponse } from './realtime-session.js';

/**
 * ACTIONS10 scripts. The seed only says the format is YAML and the script is "the actions"; Parley
 * runs a YAML list, one action per item, with the commands its telephony engine has (the same as
 * REALTIME10's, so each action runs exactly like an RT.Response command):
 *
 * ```yaml
 * - say: Welcome to Acme.      # text (the voice is English; a `voice` needs the REALTIME10 app)
 * - play: 12                   # a READY media of the library
 * - wait: 1.5                  # seconds, 0.1 to 300
 * - hangup
 * ```
 *
 * Blank lines and `#` comments are ignored; a value may be quoted. When the list is over Parley
 * hangs up. A script that is not such a list ends the call at once (the CDR says why).
 */

export type ActionsScript = { ok: true; actions: RealtimeResponse[] } | { ok: false; error: string };

const paramOf: Record<string, string | undefined> = { say: 'text', play: 'media_id', wait: 'seconds' };

function unquote(value: string): string {
  const match = /^(["'])(.*)\1$/.exec(value);
  return match ? (match[2] ?? '') : value;
}

export function parseActionsScript(script: string): ActionsScript {
  const actions: RealtimeResponse[] = [];
  for (const [index, raw] of script.split(/\r?\n/).entries()) {
    const line = raw.replace(/\s+#.*$/, '').trimEnd();
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = /^-\s+([a-z_]+)\s*(?::\s*(.*))?$/.exec(line);
    const command = match?.[1];
    if (!match || command === undefined) {
      return { ok: false, error: `line ${index + 1}: expected "- <action>: <value>"` };
    }
    const param = paramOf[command];
    const value = unquote((match[2] ?? '').trim());
    if (command !== 'hangup' && param === undefined) {
      return { ok: false, error: `line ${index + 1}: unknown action '${command}'` };
    }
    actions.push({
      command,
      command_id: index + 1,
      params: param === undefined ? {} : { [param]: value },
    });
  }
  return actions.length > 0 ? { ok: true, actions } : { ok: false, error: 'the script has no action' };
}
