import { css } from "lit";

export const shared = css`
  :host {
    display: block;
    --ds-accent: var(--primary-color, #03a9f4);
    --ds-ok: var(--success-color, #43a047);
    --ds-warn: var(--warning-color, #ffa000);
    --ds-bad: var(--error-color, #db4437);
    --ds-muted: var(--secondary-text-color, #727272);
  }
  ha-card {
    padding: 16px;
    box-sizing: border-box;
    height: 100%;
  }
  h1, h2, h3 { margin: 0; font-weight: 500; }
  h1 { font-size: 1.5em; }
  h2 { font-size: 1.15em; margin: 16px 0 8px; }
  h3 { font-size: 1em; margin: 12px 0 6px; color: var(--ds-muted); }
  .message { padding: 16px; }
  .error { color: var(--ds-bad); }
  .muted { color: var(--ds-muted); }
  button {
    font: inherit;
    border-radius: 10px;
    border: 1px solid var(--divider-color, #ccc);
    background: var(--card-background-color, #fff);
    color: var(--primary-text-color, #212121);
    padding: 10px 14px;
    cursor: pointer;
    min-height: 44px;
  }
  button.primary { background: var(--ds-accent); color: var(--text-primary-color, #fff); border-color: transparent; }
  button.good { background: var(--ds-ok); color: #fff; border-color: transparent; }
  button.bad { color: var(--ds-bad); border-color: var(--ds-bad); }
  button.on { background: var(--ds-accent); color: var(--text-primary-color, #fff); }
  button:disabled { opacity: 0.5; cursor: default; }
  .chip {
    display: inline-block; border-radius: 12px; padding: 2px 10px; font-size: 0.85em;
    background: var(--secondary-background-color, #eee);
  }
  .chip.accepted, .chip.in_progress { background: var(--ds-accent); color: #fff; }
  .chip.completed, .chip.closed { background: var(--ds-ok); color: #fff; }
  .chip.overdue, .chip.escalated, .chip.cancelled { background: var(--ds-bad); color: #fff; }
  .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  .spread { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
  .toast {
    position: sticky; bottom: 8px; margin-top: 12px; padding: 12px 16px; border-radius: 10px;
    background: var(--ds-ok); color: #fff; font-weight: 500;
  }
  .toast.error { background: var(--ds-bad); }
  input, textarea {
    font: inherit; padding: 8px; border-radius: 8px; border: 1px solid var(--divider-color, #ccc);
    box-sizing: border-box; width: 100%;
    background: var(--card-background-color, #fff); color: var(--primary-text-color);
  }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--divider-color, #e0e0e0); }
`;
