/** The staff terminal: a worker's phone. Offers and work by category, swipe to switch. */
import { html, css, nothing, type TemplateResult } from "lit";
import { callAction, errorText, type Appliance, type OrderView, type ServedRoom, type StaffFace } from "./api";
import { FaceCard, type FaceConfig } from "./face";
import { shared } from "./styles";

/** What a swipe in one direction does: the next or previous category, or a named one. */
export type SwipeTarget = "next" | "previous" | "none" | string;

export interface StaffCardConfig extends FaceConfig {
  swipe?: { left?: SwipeTarget; right?: SwipeTarget; up?: SwipeTarget; down?: SwipeTarget };
  categories?: string[];
  show_empty_categories?: boolean;
  start_category?: string;
}

const DEFAULT_SWIPE = { left: "next", right: "previous" } as const;
const SWIPE_DISTANCE = 50;

type Pending = { order: OrderView; action: "decline_order" | "give_back_order" } | {
  room: ServedRoom;
  appliance: Appliance;
  state: string;
};

export class DoorserviceStaffCard extends FaceCard<StaffCardConfig, StaffFace> {
  static properties = {
    ...FaceCard.properties,
    _category: { state: true },
    _open: { state: true },
    _pending: { state: true },
    _reason: { state: true },
    _toast: { state: true },
    _busy: { state: true },
  };

  protected readonly faceName = "staff";
  private _category?: string;
  private _open = new Set<string>();
  private _pending?: Pending;
  private _reason = "";
  private _toast?: { text: string; error: boolean };
  private _busy = false;
  private _start?: { x: number; y: number };
  private _toastTimer?: number;

  static styles = [
    shared,
    css`
      ha-card { max-width: 560px; margin: 0 auto; touch-action: pan-y; }
      .tabs { display: flex; gap: 6px; overflow-x: auto; padding-bottom: 4px; }
      .tabs button { flex: 0 0 auto; min-height: 36px; padding: 4px 12px; }
      .tabs .count { font-size: 0.8em; margin-left: 4px; opacity: 0.8; }
      .tabs .has-offers { border-color: var(--ds-accent); border-width: 2px; }
      .order { border: 1px solid var(--divider-color, #e0e0e0); border-radius: 12px; padding: 12px; margin: 10px 0; }
      .order.offered { border-color: var(--ds-accent); border-width: 2px; }
      .order .title { font-size: 1.1em; font-weight: 500; }
      .actions { margin-top: 10px; }
      .actions button { flex: 1 1 0; }
      dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; margin: 8px 0 0; }
      dt { color: var(--ds-muted); }
      dd { margin: 0; }
      .swipe-area { min-height: 240px; }
      .hint { font-size: 0.8em; text-align: center; margin-top: 8px; }
    `,
  ];

  static getConfigElement(): HTMLElement {
    return document.createElement("doorservice-staff-card-editor");
  }

  static getStubConfig(): StaffCardConfig {
    return { type: "custom:doorservice-staff-card" };
  }

  getCardSize(): number {
    return 8;
  }

  private _categories(face: StaffFace): string[] {
    const wanted = this._config?.categories?.length ? this._config.categories : face.categories;
    const used = new Set(face.orders.map((o) => o.category));
    const list = wanted.filter((c) => this._config?.show_empty_categories !== false || used.has(c));
    for (const category of used) if (!list.includes(category)) list.push(category);
    return list.length ? list : face.categories.slice(0, 1);
  }

  private _current(categories: string[]): string {
    if (this._category && categories.includes(this._category)) return this._category;
    const start = this._config?.start_category;
    return start && categories.includes(start) ? start : categories[0];
  }

  render(): TemplateResult {
    const status = this.renderStatus();
    if (status) return status;
    const face = this._face!;
    const tr = this.tr;
    const categories = this._categories(face);
    const current = this._current(categories);
    const orders = face.orders.filter((o) => o.category === current);
    const offers = orders.filter((o) => o.offered);
    const work = orders.filter((o) => !o.offered);
    return html`
      <ha-card>
        <div class="spread">
          <h1>${face.worker}</h1>
          <span class="chip">${face.on_duty ? tr.t("staff.on_duty") : tr.t("staff.off_duty")}</span>
        </div>
        <div class="tabs" role="tablist">
          ${categories.map((category) => {
            const count = face.orders.filter((o) => o.category === category).length;
            const offers = face.orders.some((o) => o.category === category && o.offered);
            return html`<button
              role="tab"
              class="${category === current ? "on" : ""} ${offers ? "has-offers" : ""}"
              aria-selected=${category === current}
              data-category=${category}
              @click=${() => (this._category = category)}
            >
              ${tr.category(category)}${count ? html`<span class="count">${count}</span>` : nothing}
            </button>`;
          })}
        </div>
        <div
          class="swipe-area"
          data-current-category=${current}
          @pointerdown=${this._down}
          @pointerup=${(ev: PointerEvent) => this._up(ev, categories, current)}
          @touchstart=${this._touchStart}
          @touchend=${(ev: TouchEvent) => this._touchEnd(ev, categories, current)}
        >
          ${this._renderPending()}
          ${offers.length ? html`<h2>${tr.t("staff.offers")}</h2>${offers.map((o) => this._renderOrder(o))}` : nothing}
          ${work.length ? html`<h2>${tr.t("staff.work")}</h2>${work.map((o) => this._renderOrder(o))}` : nothing}
          ${orders.length ? nothing : html`<p class="muted">${tr.t("staff.nothing", { category: tr.category(current) })}</p>`}
          <div class="hint muted">${tr.t("staff.swipe")}</div>
        </div>
        ${this._renderRooms(face)}
        ${this._toast
          ? html`<div class="toast ${this._toast.error ? "error" : ""}" role="status">${this._toast.text}</div>`
          : nothing}
      </ha-card>
    `;
  }

  private _renderOrder(order: OrderView): TemplateResult {
    const tr = this.tr;
    const face = this._face!;
    const open = this._open.has(order.order_id) || Boolean(order.mine);
    const where = order.room ?? order.address ?? "";
    return html`<div class="order ${order.offered ? "offered" : ""}" data-order=${order.order_id} data-state=${order.state}>
      <div class="spread">
        <span class="title">${tr.service(order.service_type, order.service, order.service_names)}${order.quantity > 1 ? ` × ${order.quantity}` : ""}</span>
        <span class="chip ${order.overdue ? "overdue" : order.state}">${tr.t(`staff_state.${order.state}`)}</span>
      </div>
      <div class="muted">${where} · ${tr.time(order.created_at)}</div>
      ${open
        ? html`<dl>
            ${order.room ? html`<dt>${tr.t("staff.room")}</dt><dd>${order.room}</dd>` : nothing}
            ${order.address ? html`<dt>${tr.t("staff.address")}</dt><dd>${order.address}</dd>` : nothing}
            <dt>${tr.t("staff.price")}</dt><dd>${tr.money(order.total_price, face.currency)}</dd>
            ${order.due_at ? html`<dt>${tr.t("staff.due")}</dt><dd>${tr.time(order.due_at)}</dd>` : nothing}
            ${order.message ? html`<dt>${tr.t("staff.message")}</dt><dd>${order.message}</dd>` : nothing}
            ${order.key ? this._renderKey(order) : nothing}
          </dl>`
        : html`<button
            style="min-height: 32px; padding: 2px 8px; margin-top: 6px"
            @click=${() => {
              this._open = new Set([...this._open, order.order_id]);
            }}
          >
            ${tr.t("staff.details")}
          </button>`}
      <div class="row actions">${this._actions(order)}</div>
    </div>`;
  }

  private _renderKey(order: OrderView): TemplateResult {
    const tr = this.tr;
    const key = order.key!;
    const holder = key.holder;
    const where =
      holder.kind === "compartment"
        ? tr.t("staff.key_compartment", { cabinet: holder.cabinet, number: holder.number })
        : holder.kind === "worker"
          ? tr.t("staff.key_worker", { worker: holder.worker })
          : tr.t("staff.key_owner");
    return html`
      ${key.has_key ? html`<dt>${tr.t("staff.key")}</dt><dd>${where}</dd>` : nothing}
      ${key.compartments.map(
        (c) => html`<dt></dt><dd>${tr.t("staff.items", { cabinet: c.cabinet, number: c.number })}</dd>`,
      )}
      <dt></dt><dd class="muted">${tr.t("staff.code")}</dd>
    `;
  }

  private _actions(order: OrderView): TemplateResult[] {
    const tr = this.tr;
    const button = (action: string, label: string, cls = "") =>
      html`<button class=${cls} data-action=${action} ?disabled=${this._busy} @click=${() => this._act(order, action)}>
        ${tr.t(label)}
      </button>`;
    if (order.offered) {
      return [button("accept_order", "staff.accept", "good"), button("decline_order", "staff.decline", "bad")];
    }
    switch (order.state) {
      case "accepted":
        return [button("start_order", "staff.start", "primary"), button("give_back_order", "staff.give_back", "bad")];
      case "in_progress":
        return [button("complete_order", "staff.done", "good")];
      default:
        return [];
    }
  }

  private _renderPending(): TemplateResult | typeof nothing {
    const pending = this._pending;
    if (!pending) return nothing;
    const tr = this.tr;
    const title =
      "order" in pending
        ? `${tr.t(pending.action === "decline_order" ? "staff.decline" : "staff.give_back")}: ${tr.service(pending.order.service_type, pending.order.service, pending.order.service_names)}`
        : `${tr.t("staff.change")}: ${pending.room.room} · ${pending.appliance.name} → ${tr.t(`appliance.${pending.state}`)}`;
    return html`<div class="order offered">
      <div class="title">${title}</div>
      <label>
        ${tr.t("order" in pending ? "staff.reason" : "staff.change_reason")}
        <input
          data-field="reason"
          .value=${this._reason}
          @input=${(ev: Event) => (this._reason = (ev.target as HTMLInputElement).value)}
        />
      </label>
      <div class="row actions">
        <button class="primary" data-action="send" ?disabled=${this._busy} @click=${this._sendPending}>${tr.t("staff.send")}</button>
        <button @click=${() => (this._pending = undefined)}>${tr.t("staff.cancel")}</button>
      </div>
    </div>`;
  }

  private _renderRooms(face: StaffFace): TemplateResult | typeof nothing {
    if (!face.rooms.length) return nothing;
    const tr = this.tr;
    return html`
      <h2>${tr.t("staff.rooms")}</h2>
      ${face.rooms.map(
        (room) => html`<div class="order" data-room=${room.room_id}>
          <div class="spread">
            <span class="title">${room.room}</span>
            ${room.board_available ? nothing : html`<span class="chip overdue">${tr.t("staff.board_offline")}</span>`}
          </div>
          <div class="row actions">
            ${room.appliances.map((appliance) => {
              const on = appliance.state === "on" || appliance.state === "open";
              const target = appliance.kind === "cover" ? (on ? "closed" : "open") : on ? "off" : "on";
              return html`<button
                class=${on ? "on" : ""}
                data-appliance=${appliance.appliance}
                @click=${() => {
                  this._pending = { room, appliance, state: target };
                  this._reason = "";
                }}
              >
                ${appliance.name}: ${tr.t(`appliance.${appliance.state}`)}
              </button>`;
            })}
          </div>
        </div>`,
      )}
    `;
  }

  private _down = (ev: PointerEvent): void => {
    if (ev.pointerType === "touch") return; // touch events handle it
    this._start = { x: ev.clientX, y: ev.clientY };
  };

  private _up(ev: PointerEvent, categories: string[], current: string): void {
    if (ev.pointerType === "touch" || !this._start) return;
    this._swipe(ev.clientX - this._start.x, ev.clientY - this._start.y, categories, current);
    this._start = undefined;
  }

  private _touchStart = (ev: TouchEvent): void => {
    const touch = ev.changedTouches[0];
    this._start = { x: touch.clientX, y: touch.clientY };
  };

  private _touchEnd(ev: TouchEvent, categories: string[], current: string): void {
    const touch = ev.changedTouches[0];
    if (!this._start || !touch) return;
    this._swipe(touch.clientX - this._start.x, touch.clientY - this._start.y, categories, current);
    this._start = undefined;
  }

  /** Switch category after a swipe, as the card's direction -> category map says. */
  private _swipe(dx: number, dy: number, categories: string[], current: string): void {
    const horizontal = Math.abs(dx) >= Math.abs(dy);
    const distance = horizontal ? Math.abs(dx) : Math.abs(dy);
    if (distance < SWIPE_DISTANCE) return;
    const direction = horizontal ? (dx < 0 ? "left" : "right") : dy < 0 ? "up" : "down";
    const map = { ...DEFAULT_SWIPE, ...(this._config?.swipe ?? {}) } as Record<string, SwipeTarget | undefined>;
    const target = map[direction];
    if (!target || target === "none") return;
    const index = categories.indexOf(current);
    if (target === "next") this._category = categories[(index + 1) % categories.length];
    else if (target === "previous")
      this._category = categories[(index - 1 + categories.length) % categories.length];
    else if (categories.includes(target)) this._category = target;
  }

  private _notify(text: string, error = false): void {
    this._toast = { text, error };
    window.clearTimeout(this._toastTimer);
    this._toastTimer = window.setTimeout(() => (this._toast = undefined), error ? 8000 : 3000);
  }

  private async _call(service: string, data: Record<string, unknown>): Promise<boolean> {
    this._busy = true;
    try {
      await callAction(this.hass!, service, { site: this._face!.site, ...data });
      return true;
    } catch (err) {
      this._notify(errorText(err), true);
      return false;
    } finally {
      this._busy = false;
    }
  }

  private async _act(order: OrderView, action: string): Promise<void> {
    if (action === "decline_order" || action === "give_back_order") {
      this._pending = { order, action };
      this._reason = "";
      return;
    }
    const data: Record<string, unknown> = { order_id: order.order_id, worker: this._face!.worker_id };
    if (await this._call(action, data)) {
      this._category = order.category;
    }
  }

  private _sendPending = async (): Promise<void> => {
    const pending = this._pending;
    if (!pending) return;
    const reason = this._reason.trim();
    let ok: boolean;
    if ("order" in pending) {
      ok = await this._call(pending.action, {
        order_id: pending.order.order_id,
        worker: this._face!.worker_id,
        ...(reason ? { reason } : {}),
      });
    } else {
      ok = await this._callRoom({
        room: pending.room.room_id,
        appliance: pending.appliance.appliance,
        state: pending.state,
        reason: reason || "staff terminal",
      });
    }
    if (ok) this._pending = undefined;
  };

  private async _callRoom(data: Record<string, unknown>): Promise<boolean> {
    this._busy = true;
    try {
      await callAction(this.hass!, "request_appliance_change", data);
      return true;
    } catch (err) {
      this._notify(errorText(err), true);
      return false;
    } finally {
      this._busy = false;
    }
  }
}
