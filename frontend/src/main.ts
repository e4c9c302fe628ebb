/** Door Service cards and dashboard strategy, loaded by the integration on every page. */
import { DoorserviceManagerCard } from "./manager-card";
import { DoorserviceRoomCard } from "./room-card";
import { DoorserviceStaffCard } from "./staff-card";
import { DoorserviceDashboardStrategy } from "./strategy";
import { ManagerCardEditor, RoomCardEditor, StaffCardEditor } from "./editors";

const ELEMENTS: [string, CustomElementConstructor][] = [
  ["doorservice-room-card", DoorserviceRoomCard],
  ["doorservice-staff-card", DoorserviceStaffCard],
  ["doorservice-manager-card", DoorserviceManagerCard],
  ["doorservice-room-card-editor", RoomCardEditor],
  ["doorservice-staff-card-editor", StaffCardEditor],
  ["doorservice-manager-card-editor", ManagerCardEditor],
  ["ll-strategy-dashboard-doorservice", DoorserviceDashboardStrategy],
];

const defineAll = (): boolean => {
  let missing = false;
  for (const [name, element] of ELEMENTS) {
    if (customElements.get(name)) continue;
    missing = true;
    try {
      customElements.define(name, element);
    } catch {
      // Defined natively already; the polyfilled registry may not know it yet.
    }
  }
  return missing;
};

const nativeDefine = customElements.define;
defineAll();
// The frontend is loaded in parallel with this module and installs a scoped custom
// element registry polyfill that patches window.customElements: definitions made
// before it are not known to it. Define again once it is there (checked up to 60 s).
let checks = 0;
const recheck = window.setInterval(() => {
  const missing = defineAll();
  const patched = customElements.define !== nativeDefine;
  if ((patched && !missing) || ++checks >= 600) window.clearInterval(recheck);
}, 100);

interface CustomCard {
  type: string;
  name: string;
  description: string;
  preview?: boolean;
  documentationURL?: string;
}

const w = window as unknown as { customCards?: CustomCard[] };
w.customCards = w.customCards ?? [];
for (const card of [
  ["doorservice-room-card", "Door Service room terminal", "A guest room's wall tablet: requests with prices, their status, do not disturb, appliances and the bill."],
  ["doorservice-staff-card", "Door Service staff terminal", "A worker's phone: offers and work by category (swipe to switch), accept, decline, start, done, give back."],
  ["doorservice-manager-card", "Door Service manager board", "Open orders by state and SLA, escalations, cabinets, stock and response times per worker."],
]) {
  if (!w.customCards.some((c) => c.type === card[0])) {
    w.customCards.push({ type: card[0], name: card[1], description: card[2], documentationURL: "https://github.com/doorservice/doorservice#faces" });
  }
}
