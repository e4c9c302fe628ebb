/** The manager board: open orders by state and SLA, escalations, cabinets, stock, people. */
import { html, css, nothing, type TemplateResult } from "lit";
import type { ManagerFace, OrderView } from "./api";
import { FaceCard, type FaceConfig } from "./face";
import { shared } from "./styles";

export interface ManagerCardConfig extends FaceConfig {
  show_cabinets?: boolean;
  show_stock?: boolean;
}

const STATE_ORDER = ["awaiting_dropoff", "queued", "offered", "accepted", "in_progress", "awaiting_return", "completed"];

export class DoorserviceManagerCard extends FaceCard<ManagerCardConfig, ManagerFace> {
  protected readonly faceName = "manager";

  static styles = [
    shared,
    css`
      .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
      .counts { display: flex; gap: 8px; flex-wrap: wrap; }
      .count { border-radius: 12px; padding: 8px 12px; background: var(--secondary-background-color, #eee); text-align: center; min-width: 80px; }
      .count b { display: block; font-size: 1.4em; }
      .compartments { display: grid; grid-template-columns: repeat(auto-fill, minmax(70px, 1fr)); gap: 6px; }
      .compartment { border-radius: 8px; padding: 6px; font-size: 0.8em; border: 1px solid var(--divider-color, #ccc); }
      .compartment.key, .compartment.supplies { background: var(--ds-accent); color: #fff; }
      .compartment.reserved { background: var(--ds-warn); color: #fff; }
      .compartment.out { opacity: 0.5; text-decoration: line-through; }
      .compartment.open { outline: 2px solid var(--ds-bad); }
      .low { color: var(--ds-bad); font-weight: 500; }
    `,
  ];

  static getConfigElement(): HTMLElement {
    return document.createElement("doorservice-manager-card-editor");
  }

  static getStubConfig(): ManagerCardConfig {
    return { type: "custom:doorservice-manager-card" };
  }

  getCardSize(): number {
    return 10;
  }

  getGridOptions() {
    return { columns: "full", rows: 10 };
  }

  render(): TemplateResult {
    const status = this.renderStatus();
    if (status) return status;
    const face = this._face!;
    const tr = this.tr;
    const states = STATE_ORDER.filter((s) => face.by_state[s]);
    const rt = face.response_times;
    const config = this._config!;
    return html`<ha-card>
      <h1>${face.site_name}</h1>
      <h2>${tr.t("manager.open")}</h2>
      <div class="counts">
        ${states.length
          ? states.map(
              (state) => html`<div class="count" data-state=${state}><b>${face.by_state[state]}</b>${tr.t(`manager_state.${state}`)}</div>`,
            )
          : html`<span class="muted">${tr.t("manager.none")}</span>`}
      </div>
      ${face.orders.length ? this._orders(face.orders) : nothing}
      <div class="grid">
        <section>
          <h2>${tr.t("manager.escalations")}</h2>
          ${face.escalations.length ? this._orders(face.escalations) : html`<p class="muted">${tr.t("manager.none")}</p>`}
          <h2>${tr.t("manager.workers")}</h2>
          <p class="muted" data-site-response>
            ${tr.t("manager.site_mean", {
              count: rt.count,
              mean: tr.duration(rt.mean_seconds),
              p90: tr.duration(rt.p90_seconds),
            })}
          </p>
          <table data-workers>
            <tr><th>${tr.t("manager.worker")}</th><th></th><th>${tr.t("manager.accepted")}</th><th>${tr.t("manager.mean")}</th></tr>
            ${face.workers.map(
              (w) => html`<tr data-worker=${w.worker}>
                <td>${w.worker}</td>
                <td><span class="chip">${tr.t(`worker_status.${w.status}`)}</span></td>
                <td>${w.accepted}</td>
                <td data-mean>${tr.duration(w.mean_response_seconds)}</td>
              </tr>`,
            )}
          </table>
        </section>
        ${config.show_cabinets === false
          ? nothing
          : html`<section>
              <h2>${tr.t("manager.cabinets")}</h2>
              ${face.cabinets.length ? nothing : html`<p class="muted">${tr.t("manager.none")}</p>`}
              ${face.cabinets.map(
                (cab) => html`<div data-cabinet=${cab.name}>
                  <h3>${cab.name} · <span class=${cab.online ? "" : "low"}>${cab.online ? tr.t("manager.online") : tr.t("manager.offline")}</span></h3>
                  <div class="compartments">
                    ${cab.compartments.map(
                      (c) => html`<div
                        class="compartment ${c.contents} ${c.out_of_service ? "out" : ""} ${c.door_open ? "open" : ""}"
                        title=${c.order_id ?? ""}
                      >
                        <b>${c.number}</b> ${tr.t(`contents.${c.contents}`)}
                        ${c.door_open ? html`<div>${tr.t("manager.door_open")}</div>` : nothing}
                        ${c.out_of_service ? html`<div>${tr.t("manager.out_of_service")}</div>` : nothing}
                      </div>`,
                    )}
                  </div>
                  ${config.show_stock === false || !cab.stock.length
                    ? nothing
                    : html`<h3>${tr.t("manager.stock")}</h3>
                        <table>
                          ${cab.stock.map(
                            (item) => html`<tr><td>${item.name}</td><td class=${item.low ? "low" : ""}>${item.on_hand}</td></tr>`,
                          )}
                        </table>`}
                </div>`,
              )}
            </section>`}
      </div>
    </ha-card>`;
  }

  private _orders(orders: OrderView[]): TemplateResult {
    const tr = this.tr;
    return html`<table>
      ${orders.map(
        (o) => html`<tr data-order=${o.order_id}>
          <td>${o.order_id}</td>
          <td>${tr.service(o.service_type, o.service, o.service_names)}</td>
          <td>${o.room ?? o.address ?? ""}</td>
          <td><span class="chip ${o.state}">${tr.t(`manager_state.${o.state}`)}</span></td>
          <td>${o.worker ?? ""}</td>
          <td>
            ${o.escalated ? html`<span class="chip escalated">${tr.t("manager.escalations")}</span>` : nothing}
            ${o.overdue
              ? html`<span class="chip overdue">${tr.t("manager.overdue")}</span>`
              : o.due_at && !o.started_at
                ? tr.t("manager.due", { time: tr.time(o.due_at) })
                : nothing}
          </td>
        </tr>`,
      )}
    </table>`;
  }
}
