/** Card editors: Home Assistant's own ha-form, filled with the sites the user may open. */
import { LitElement, html, type TemplateResult } from "lit";
import { fetchFaces, type FacesInfo, type Hass } from "./api";
import { fire, type FaceConfig } from "./face";
import { Translator } from "./i18n";

type Schema = Record<string, unknown>;

const LABELS: Record<string, [string, string]> = {
  site: ["Site", "站点"],
  room: ["Room", "房间"],
  worker: ["Worker", "员工"],
  language: ["Language (empty: the user's)", "语言（留空：用户的语言）"],
  show_bill: ["Show the bill", "显示账单"],
  show_appliances: ["Show the appliances", "显示设备"],
  show_handedness_switch: ["Show the left/right switch", "显示左右手切换"],
  swipe_left: ["Swipe left goes to", "向左滑动切换到"],
  swipe_right: ["Swipe right goes to", "向右滑动切换到"],
  swipe_up: ["Swipe up goes to", "向上滑动切换到"],
  swipe_down: ["Swipe down goes to", "向下滑动切换到"],
  show_empty_categories: ["Show categories without orders", "显示没有订单的类别"],
  show_cabinets: ["Show the cabinets", "显示储物柜"],
  show_stock: ["Show the stock", "显示库存"],
};

abstract class FaceEditor<C extends FaceConfig> extends LitElement {
  static properties = {
    hass: { attribute: false },
    _config: { state: true },
    _faces: { state: true },
  };

  hass?: Hass;
  protected _config?: C;
  protected _faces?: FacesInfo;

  setConfig(config: C): void {
    this._config = config;
  }

  connectedCallback(): void {
    super.connectedCallback();
    if (this.hass && !this._faces) this._load();
  }

  protected updated(): void {
    if (this.hass && !this._faces) this._load();
  }

  private _loading = false;

  private async _load(): Promise<void> {
    if (this._loading) return;
    this._loading = true;
    try {
      this._faces = await fetchFaces(this.hass!);
    } catch {
      this._faces = { roles: [], sites: [] };
    }
  }

  protected siteOptions() {
    return (this._faces?.sites ?? []).map((s) => ({ value: s.site, label: s.name }));
  }

  /** The chosen site; without one, every site's rooms and workers (names say which). */
  protected site() {
    const sites = this._faces?.sites ?? [];
    const chosen = sites.find((s) => s.site === this._config?.site || s.name === this._config?.site);
    if (chosen || sites.length === 1) return chosen ?? sites[0];
    const label = (site: { name: string }, name: string) => `${name} (${site.name})`;
    return {
      rooms: sites.flatMap((s) => s.rooms.map((r) => ({ id: r.id, name: label(s, r.name) }))),
      workers: sites.flatMap((s) => s.workers.map((w) => ({ id: w.id, name: label(s, w.name) }))),
    };
  }

  protected abstract schema(): Schema[];

  protected toForm(config: C): Record<string, unknown> {
    return { ...config };
  }

  protected fromForm(data: Record<string, unknown>): C {
    return data as C;
  }

  render(): TemplateResult {
    if (!this.hass || !this._config) return html``;
    const tr = new Translator(this.hass);
    return html`<ha-form
      .hass=${this.hass}
      .data=${this.toForm(this._config)}
      .schema=${this.schema()}
      .computeLabel=${(s: { name: string }) => LABELS[s.name]?.[tr.lang === "zh" ? 1 : 0] ?? s.name}
      @value-changed=${this._changed}
    ></ha-form>`;
  }

  private _changed = (ev: CustomEvent<{ value: Record<string, unknown> }>): void => {
    ev.stopPropagation();
    const data = { ...ev.detail.value };
    for (const [key, value] of Object.entries(data)) if (value === "" || value === undefined) delete data[key];
    this._config = this.fromForm(data);
    fire(this, "config-changed", { config: this._config });
  };
}

const select = (options: { value: string; label: string }[]) => ({
  select: { mode: "dropdown", options, custom_value: true },
});

const LANGUAGES = [
  { value: "en", label: "English" },
  { value: "zh-Hans", label: "中文" },
];

export class RoomCardEditor extends FaceEditor<FaceConfig> {
  protected schema(): Schema[] {
    const rooms = (this.site()?.rooms ?? []).map((r) => ({ value: r.id, label: r.name }));
    return [
      { name: "site", selector: select(this.siteOptions()) },
      { name: "room", selector: select(rooms) },
      { name: "language", selector: select(LANGUAGES) },
      { name: "show_bill", selector: { boolean: {} }, default: true },
      { name: "show_appliances", selector: { boolean: {} }, default: true },
      { name: "show_handedness_switch", selector: { boolean: {} }, default: true },
    ];
  }
}

export class StaffCardEditor extends FaceEditor<FaceConfig & { swipe?: Record<string, string> }> {
  protected schema(): Schema[] {
    const site = this.site();
    const workers = (site?.workers ?? []).map((w) => ({ value: w.id, label: w.name }));
    const tr = new Translator(this.hass);
    const targets = [
      { value: "next", label: tr.lang === "zh" ? "下一个类别" : "Next category" },
      { value: "previous", label: tr.lang === "zh" ? "上一个类别" : "Previous category" },
      { value: "none", label: tr.lang === "zh" ? "无" : "Nothing" },
      ...["cleaning", "linen", "food", "maintenance", "concierge"].map((c) => ({ value: c, label: tr.category(c) })),
    ];
    return [
      { name: "site", selector: select(this.siteOptions()) },
      { name: "worker", selector: select(workers) },
      { name: "language", selector: select(LANGUAGES) },
      { name: "swipe_left", selector: select(targets) },
      { name: "swipe_right", selector: select(targets) },
      { name: "swipe_up", selector: select(targets) },
      { name: "swipe_down", selector: select(targets) },
      { name: "show_empty_categories", selector: { boolean: {} }, default: true },
    ];
  }

  protected toForm(config: FaceConfig & { swipe?: Record<string, string> }) {
    const { swipe, ...rest } = config;
    const data: Record<string, unknown> = { ...rest };
    for (const [direction, target] of Object.entries(swipe ?? {})) data[`swipe_${direction}`] = target;
    return data;
  }

  protected fromForm(data: Record<string, unknown>) {
    const config: Record<string, unknown> = {};
    const swipe: Record<string, string> = {};
    for (const [key, value] of Object.entries(data)) {
      if (key.startsWith("swipe_")) swipe[key.slice(6)] = String(value);
      else config[key] = value;
    }
    if (Object.keys(swipe).length) config.swipe = swipe;
    return config as FaceConfig & { swipe?: Record<string, string> };
  }
}

export class ManagerCardEditor extends FaceEditor<FaceConfig> {
  protected schema(): Schema[] {
    return [
      { name: "site", selector: select(this.siteOptions()) },
      { name: "language", selector: select(LANGUAGES) },
      { name: "show_cabinets", selector: { boolean: {} }, default: true },
      { name: "show_stock", selector: { boolean: {} }, default: true },
    ];
  }
}
