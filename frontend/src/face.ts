/** The base of the three cards: one live subscription to a face of the site. */
import { LitElement, html, type PropertyValues, type TemplateResult } from "lit";
import type { Hass } from "./api";
import { Translator } from "./i18n";

export interface FaceConfig {
  type: string;
  site?: string;
  room?: string;
  worker?: string;
  language?: string;
  [key: string]: unknown;
}

export abstract class FaceCard<C extends FaceConfig, S> extends LitElement {
  static properties = {
    hass: { attribute: false },
    _config: { state: true },
    _face: { state: true },
    _error: { state: true },
  };

  hass?: Hass;
  protected _config?: C;
  protected _face?: S;
  protected _error?: string;
  private _unsub?: Promise<() => Promise<void>>;
  private _subscribedKey?: string;

  protected abstract readonly faceName: string;

  setConfig(config: C): void {
    if (!config) throw new Error("Invalid configuration");
    this._config = config;
    this._resubscribe();
  }

  protected get tr(): Translator {
    return new Translator(this.hass, this._config?.language);
  }

  connectedCallback(): void {
    super.connectedCallback();
    this._resubscribe();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this._unsubscribe();
  }

  protected willUpdate(changed: PropertyValues): void {
    if (changed.has("hass") && !this._unsub) this._resubscribe();
  }

  protected subscribeMessage(): Record<string, unknown> {
    const config = this._config!;
    const message: Record<string, unknown> = {
      type: "doorservice/subscribe_face",
      face: this.faceName,
    };
    for (const key of ["site", "room", "worker"] as const) {
      if (config[key]) message[key] = config[key];
    }
    return message;
  }

  private _resubscribe(): void {
    if (!this.hass || !this._config || !this.isConnected) return;
    const message = this.subscribeMessage();
    const key = JSON.stringify(message);
    if (this._unsub && key === this._subscribedKey) return;
    this._unsubscribe();
    this._subscribedKey = key;
    this._error = undefined;
    this._unsub = this.hass.connection.subscribeMessage<S | { ended: true }>((face) => {
      if ((face as { ended?: boolean }).ended) {
        // The site reloaded (its configuration changed): subscribe to the new one.
        this._unsubscribe();
        window.setTimeout(() => this._resubscribe(), 1000);
        return;
      }
      this._face = face as S;
      this._error = undefined;
    }, message);
    this._unsub.catch((err: { code?: string; message?: string }) => {
      this._unsub = undefined;
      this._error = err?.code ? this.tr.t(`error.${err.code}`) : String(err?.message ?? err);
      // A site still loading after a reload is refused for a moment: try again.
      if (this._face) window.setTimeout(() => this._resubscribe(), 5000);
    });
  }

  private _unsubscribe(): void {
    const unsub = this._unsub;
    this._unsub = undefined;
    this._subscribedKey = undefined;
    unsub?.then((stop) => stop()).catch(() => undefined);
  }

  protected renderStatus(): TemplateResult | undefined {
    if (this._error) return html`<ha-card><div class="message error">${this._error}</div></ha-card>`;
    if (!this._face) return html`<ha-card><div class="message">${this.tr.t("loading")}</div></ha-card>`;
    return undefined;
  }
}

export function fire(node: HTMLElement, type: string, detail: unknown): void {
  node.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
