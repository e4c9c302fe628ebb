/** The room terminal: a wall tablet in a guest room (or a home). */
import { html, css, nothing, type TemplateResult } from "lit";
import { callAction, errorText, type CatalogItem, type OrderView, type RoomFace } from "./api";
import { FaceCard, type FaceConfig } from "./face";
import { shared } from "./styles";

export interface RoomCardConfig extends FaceConfig {
  show_bill?: boolean;
  show_appliances?: boolean;
  show_handedness_switch?: boolean;
}

export class DoorserviceRoomCard extends FaceCard<RoomCardConfig, RoomFace> {
  static properties = {
    ...FaceCard.properties,
    _choice: { state: true },
    _quantity: { state: true },
    _toast: { state: true },
    _busy: { state: true },
    _hand: { state: true },
  };

  protected readonly faceName = "room";
  private _choice?: CatalogItem;
  private _quantity = 1;
  private _toast?: { text: string; error: boolean };
  private _busy = false;
  private _hand?: "left" | "right";
  private _toastTimer?: number;

  static styles = [
    shared,
    css`
      .columns { display: flex; gap: 24px; align-items: flex-start; }
      .columns.right { flex-direction: row-reverse; }
      .columns > section { flex: 1 1 0; min-width: 0; }
      .buttons { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
      .buttons button { text-align: left; min-height: 64px; }
      .buttons .price { display: block; font-size: 0.85em; color: var(--ds-muted); }
      .confirm { border: 2px solid var(--ds-accent); border-radius: 12px; padding: 16px; margin-bottom: 12px; }
      .confirm .big { font-size: 1.3em; font-weight: 500; }
      .request { padding: 10px 0; border-bottom: 1px solid var(--divider-color, #e0e0e0); }
      .request .who { font-size: 1.1em; }
      .lines td:last-child, .lines th:last-child { text-align: right; }
      .hand button { min-height: 36px; padding: 4px 10px; }
      @media (max-width: 700px) { .columns, .columns.right { flex-direction: column; } }
    `,
  ];

  static getConfigElement(): HTMLElement {
    return document.createElement("doorservice-room-card-editor");
  }

  static getStubConfig(): RoomCardConfig {
    return { type: "custom:doorservice-room-card" };
  }

  getCardSize(): number {
    return 8;
  }

  getGridOptions() {
    return { columns: "full", rows: 8 };
  }

  render(): TemplateResult {
    const status = this.renderStatus();
    if (status) return status;
    const face = this._face!;
    const tr = this.tr;
    const hand = this._hand ?? face.handedness;
    const config = this._config!;
    return html`
      <ha-card>
        <div class="spread">
          <div>
            <h1>${face.room}</h1>
            ${face.stay ? html`<div class="muted">${face.stay.guest_name}</div>` : nothing}
          </div>
          <div class="row">
            ${config.show_handedness_switch === false
              ? nothing
              : html`<div class="row hand" role="group">
                  ${(["left", "right"] as const).map(
                    (side) => html`<button
                      class=${hand === side ? "on" : ""}
                      data-hand=${side}
                      @click=${() => this._setHand(side)}
                    >
                      ${tr.t(`room.${side}`)}
                    </button>`,
                  )}
                </div>`}
            <button
              class=${face.do_not_disturb ? "on" : ""}
              data-action="dnd"
              @click=${this._toggleDnd}
            >
              ${face.do_not_disturb ? tr.t("room.dnd_on") : tr.t("room.dnd")}
            </button>
          </div>
        </div>
        <div class="columns ${hand}">
          <section class="actions">${this._renderRequests(face)}</section>
          <section class="status">
            ${this._renderStatusList(face)}
            ${config.show_appliances === false ? nothing : this._renderAppliances(face)}
            ${config.show_bill === false ? nothing : this._renderBill(face)}
          </section>
        </div>
        ${this._toast
          ? html`<div class="toast ${this._toast.error ? "error" : ""}" role="status">
              ${this._toast.text}
            </div>`
          : nothing}
      </ha-card>
    `;
  }

  private _renderRequests(face: RoomFace): TemplateResult {
    const tr = this.tr;
    if (!face.may_request) {
      return html`<h2>${tr.t("room.requests")}</h2><p class="muted">${tr.t("room.no_stay")}</p>`;
    }
    const choice = this._choice;
    return html`
      <h2>${tr.t("room.requests")}</h2>
      ${choice
        ? html`<div class="confirm">
            <div class="big">${tr.service(choice.service_type, choice.name, choice.names)}</div>
            <div>${tr.money(choice.price, face.currency)}${choice.paid && this._quantity > 1
              ? html` × ${this._quantity} = ${tr.money(String(Number(choice.price) * this._quantity), face.currency)}`
              : nothing}</div>
            <div class="row" style="margin: 8px 0">
              <span>${tr.t("room.quantity")}</span>
              <button @click=${() => (this._quantity = Math.max(1, this._quantity - 1))}>−</button>
              <span data-quantity>${this._quantity}</span>
              <button @click=${() => (this._quantity = Math.min(99, this._quantity + 1))}>+</button>
            </div>
            <div class="row">
              <button class="primary" data-action="confirm" ?disabled=${this._busy} @click=${this._send}>
                ${tr.t("room.confirm")}
              </button>
              <button data-action="back" @click=${() => (this._choice = undefined)}>${tr.t("room.cancel")}</button>
            </div>
          </div>`
        : nothing}
      ${groupBy(face.catalog, (item) => item.category).map(
        ([category, items]) => html`
          <h3>${tr.category(category)}</h3>
          <div class="buttons">
            ${items.map(
              (item) => html`<button
                data-service=${item.service_type}
                @click=${() => {
                  this._choice = item;
                  this._quantity = 1;
                }}
              >
                ${tr.service(item.service_type, item.name, item.names)}
                <span class="price">${tr.money(item.price, face.currency)}</span>
              </button>`,
            )}
          </div>
        `,
      )}
    `;
  }

  private _renderStatusList(face: RoomFace): TemplateResult {
    const tr = this.tr;
    return html`
      <h2>${tr.t("room.status")}</h2>
      ${face.requests.length || face.finished.length
        ? nothing
        : html`<p class="muted">${tr.t("room.none")}</p>`}
      ${face.requests.map((order) => this._renderRequest(order))}
      ${face.finished.length
        ? html`<h3>${tr.t("room.recent")}</h3>${face.finished.map((order) => this._renderRequest(order))}`
        : nothing}
    `;
  }

  private _renderRequest(order: OrderView): TemplateResult {
    const tr = this.tr;
    const done = order.state === "completed" || order.state === "closed";
    return html`<div class="request" data-order=${order.order_id} data-state=${order.state}>
      <div class="spread">
        <span class="who">${tr.service(order.service_type, order.service, order.service_names)}${order.quantity > 1 ? ` × ${order.quantity}` : ""}</span>
        <span class="chip ${order.state}">${tr.t(`state.${order.state}`)}</span>
      </div>
      <div class="muted">
        ${order.worker ? html`<span data-worker>${tr.t("room.by", { worker: order.worker })}</span> · ` : nothing}
        ${done
          ? tr.t("room.done_at", { time: tr.time(order.done_at) })
          : order.eta
            ? tr.t("room.eta", { time: tr.time(order.eta) })
            : nothing}
      </div>
    </div>`;
  }

  private _renderAppliances(face: RoomFace): TemplateResult | typeof nothing {
    if (!face.appliances || !face.appliances.length) return nothing;
    const tr = this.tr;
    return html`
      <h2>${tr.t("room.appliances")}</h2>
      <div class="row">
        ${face.appliances.map((appliance) => {
          const on = appliance.state === "on" || appliance.state === "open";
          return html`<button
            class=${on ? "on" : ""}
            data-appliance=${appliance.appliance}
            @click=${() => this._toggleAppliance(face, appliance.appliance, appliance.kind, on)}
          >
            ${appliance.name}: ${tr.t(`appliance.${appliance.state}`)}
          </button>`;
        })}
      </div>
    `;
  }

  private _renderBill(face: RoomFace): TemplateResult | typeof nothing {
    if (!face.bill) return nothing;
    const tr = this.tr;
    const bill = face.bill;
    return html`
      <h2>${tr.t("room.bill")}</h2>
      ${bill.lines.length
        ? html`<table class="lines">
            ${bill.lines.map(
              (line) => html`<tr>
                <td>${line.description}${line.quantity > 1 ? ` × ${line.quantity}` : ""}</td>
                <td>${tr.money(line.amount, bill.currency)}</td>
              </tr>`,
            )}
            <tr>
              <th>${tr.t("room.total")}</th>
              <th data-total>${tr.money(bill.total, bill.currency)}</th>
            </tr>
          </table>`
        : html`<p class="muted">${tr.t("room.bill_empty")}</p>`}
    `;
  }

  private _notify(text: string, error = false): void {
    this._toast = { text, error };
    window.clearTimeout(this._toastTimer);
    this._toastTimer = window.setTimeout(() => (this._toast = undefined), error ? 8000 : 5000);
  }

  private async _run(action: () => Promise<unknown>, success?: string): Promise<void> {
    this._busy = true;
    try {
      await action();
      if (success) this._notify(success);
    } catch (err) {
      this._notify(errorText(err), true);
    } finally {
      this._busy = false;
    }
  }

  private _send = async (): Promise<void> => {
    const face = this._face!;
    const choice = this._choice;
    if (!choice) return;
    await this._run(async () => {
      await callAction(this.hass!, "request_service", {
        room: face.room_id,
        service_type: choice.service_type,
        quantity: this._quantity,
      });
      this._choice = undefined;
    }, this.tr.t("room.sent", { service: this.tr.service(choice.service_type, choice.name, choice.names) }));
  };

  private _toggleDnd = async (): Promise<void> => {
    const face = this._face!;
    await this._run(() =>
      callAction(this.hass!, "set_do_not_disturb", { room: face.room_id, on: !face.do_not_disturb }),
    );
  };

  private async _toggleAppliance(face: RoomFace, appliance: string, kind: string, on: boolean) {
    const state = kind === "cover" ? (on ? "closed" : "open") : on ? "off" : "on";
    await this._run(() =>
      callAction(this.hass!, "request_appliance_change", {
        room: face.room_id,
        appliance,
        state,
        reason: "room terminal",
      }),
    );
  }

  private async _setHand(side: "left" | "right"): Promise<void> {
    this._hand = side;
    const entity = this._face?.handedness_entity;
    if (!entity) return;
    try {
      await this.hass!.callService("select", "select_option", { option: side }, { entity_id: entity }, false);
      this._hand = undefined; // the room's select follows; its push shows it
    } catch {
      // Keep the local choice on this tablet when the select may not be changed.
    }
  }
}

export function groupBy<T>(items: T[], key: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(item);
  }
  return [...groups.entries()];
}
