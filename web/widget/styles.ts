/**
 * The widget's look, inside its shadow root: the host page's CSS cannot reach in, and this cannot
 * leak out. Colours follow the web app's palette (web/src/styles/base.css).
 */
export const WIDGET_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
.root {
  --accent: #2457d6; --accent-text: #fff; --surface: #fff; --muted: #5b6472; --line: #d8dde6;
  --incoming: #eef1f6; --radius: 12px;
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f27;
}
button { font: inherit; cursor: pointer; }
button:focus-visible, textarea:focus-visible { outline: 3px solid #ffb020; outline-offset: 2px; }
.bubble {
  width: 56px; height: 56px; border-radius: 50%; border: 0; background: var(--accent);
  color: var(--accent-text); box-shadow: 0 4px 14px rgba(0,0,0,.25); display: grid; place-items: center;
}
.bubble svg { width: 28px; height: 28px; fill: currentColor; }
.panel {
  position: absolute; right: 0; bottom: 72px; width: min(360px, calc(100vw - 40px));
  height: min(520px, calc(100vh - 120px)); background: var(--surface); border-radius: var(--radius);
  box-shadow: 0 8px 30px rgba(0,0,0,.25); display: flex; flex-direction: column; overflow: hidden;
}
.panel[hidden] { display: none; }
.header {
  background: var(--accent); color: var(--accent-text); padding: 12px 14px; display: flex;
  align-items: center; justify-content: space-between; gap: 8px;
}
.header h2 { margin: 0; font-size: 16px; font-weight: 600; }
.close { background: transparent; border: 0; color: inherit; font-size: 22px; line-height: 1; padding: 2px 8px; border-radius: 6px; }
.log { flex: 1; overflow-y: auto; padding: 12px; margin: 0; display: flex; flex-direction: column; gap: 8px; }
.empty { color: var(--muted); text-align: center; margin: auto 0; }
.message, .empty { margin: 0; }
.message { max-width: 80%; padding: 8px 11px; border-radius: var(--radius); white-space: pre-wrap; overflow-wrap: anywhere; }
.message.visitor { align-self: flex-end; background: var(--accent); color: var(--accent-text); border-bottom-right-radius: 4px; }
.message.agent { align-self: flex-start; background: var(--incoming); border-bottom-left-radius: 4px; }
.message.activity { align-self: center; background: none; color: var(--muted); font-size: 12px; padding: 0; }
.sender { display: block; font-size: 12px; font-weight: 600; color: var(--muted); }
.status { min-height: 0; margin: 0; padding: 0 12px; color: #b3261e; font-size: 12px; }
.status:empty { display: none; }
.typing { margin: 0; padding: 0 12px 4px; color: #555d6b; font-size: 12px; font-style: italic; }
.typing:empty { display: none; }
form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid var(--line); }
textarea {
  flex: 1; resize: none; font: inherit; padding: 8px 10px; border: 1px solid var(--line);
  border-radius: 8px; min-height: 40px; max-height: 120px; color: inherit; background: #fff;
}
.send { border: 0; border-radius: 8px; background: var(--accent); color: var(--accent-text); padding: 0 14px; font-weight: 600; }
.send:disabled { opacity: .6; cursor: default; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
