/** Door Service cards and dashboard strategy, loaded by the integration on every page. */
import { DoorserviceManagerCard } from "./manager-card";
import { DoorserviceRoomCard } from "./room-card";
import { DoorserviceStaffCard } from "./staff-card";
import { DoorserviceDashboardStrategy } from "./strategy";
import { ManagerCardEditor, RoomCardEditor, StaffCardEditor } from "./editors";

const define = (name: string, element: CustomElementConstructor) => {
  if (!customElements.get(name)) customElements.define(name, element);
};

define("doorservice-room-card", DoorserviceRoomCard);
define("doorservice-staff-card", DoorserviceStaffCard);
define("doorservice-manager-card", DoorserviceManagerCard);
define("doorservice-room-card-editor", RoomCardEditor);
define("doorservice-staff-card-editor", StaffCardEditor);
define("doorservice-manager-card-editor", ManagerCardEditor);
define("ll-strategy-dashboard-doorservice", DoorserviceDashboardStrategy);

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
