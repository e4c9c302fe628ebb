/** What the cards read from and send to Home Assistant (see faces.py). */

export interface HassUser {
  id: string;
  name: string;
  is_admin: boolean;
}

export interface Hass {
  connection: {
    subscribeMessage<T>(
      callback: (message: T) => void,
      subscribeMessage: Record<string, unknown>,
    ): Promise<() => Promise<void>>;
  };
  callService(
    domain: string,
    service: string,
    data?: Record<string, unknown>,
    target?: Record<string, unknown>,
    notifyOnError?: boolean,
    returnResponse?: boolean,
  ): Promise<unknown>;
  callWS<T>(message: Record<string, unknown>): Promise<T>;
  language: string;
  locale?: { language: string };
  user?: HassUser;
}

export interface OrderView {
  order_id: string;
  state: string;
  service_type: string;
  service: string;
  service_names?: Record<string, string>;
  category: string;
  room: string | null;
  room_id: string | null;
  address: string | null;
  worker: string | null;
  quantity: number;
  total_price: string;
  created_at: string;
  accepted_at: string | null;
  started_at: string | null;
  done_at: string | null;
  response_seconds: number | null;
  due_at: string | null;
  eta: string | null;
  overdue: boolean;
  escalated: boolean;
  message: string | null;
  scheduled_start: string | null;
  scheduled_end: string | null;
  offered?: boolean;
  mine?: boolean;
  key?: KeyInfo | null;
}

export interface KeyInfo {
  has_key: boolean;
  holder: {
    kind: string;
    cabinet?: string | null;
    number?: number | null;
    worker?: string | null;
  };
  compartments: { cabinet: string | null; number: number }[];
}

export interface CatalogItem {
  service_type: string;
  name: string;
  names?: Record<string, string>;
  category: string;
  price: string;
  paid: boolean;
  sla_minutes: number;
}

export interface Appliance {
  appliance: string;
  name: string;
  kind: string;
  state: string;
  value: number | null;
  checkout_state: string;
  updated_at: string | null;
}

export interface FaceBase {
  face: string;
  site: string;
  site_name: string;
  site_type: string;
  currency: string;
  now: string;
}

export interface RoomFace extends FaceBase {
  room_id: string;
  room: string;
  handedness: "left" | "right";
  handedness_entity: string | null;
  do_not_disturb: boolean;
  stay: {
    guest_name: string;
    language: string;
    checked_in_at: string;
    ends_at: string | null;
    authorized: boolean;
  } | null;
  may_request: boolean;
  catalog: CatalogItem[];
  requests: OrderView[];
  finished: OrderView[];
  appliances: Appliance[] | null;
  bill: {
    currency: string;
    total: string;
    lines: {
      order_id: string;
      description: string;
      quantity: number;
      unit_price: string;
      amount: string;
      at: string;
    }[];
  } | null;
}

export interface ServedRoom {
  room_id: string;
  room: string;
  authorized: boolean;
  board_available: boolean;
  appliances: Appliance[];
}

export interface StaffFace extends FaceBase {
  worker_id: string;
  worker: string;
  on_duty: boolean;
  status: string;
  categories: string[];
  orders: OrderView[];
  rooms: ServedRoom[];
}

export interface Compartment {
  number: number;
  size: string;
  contents: string;
  door_open: boolean | null;
  locked: boolean;
  out_of_service: boolean;
  order_id: string | null;
}

export interface ManagerFace extends FaceBase {
  orders: OrderView[];
  by_state: Record<string, number>;
  escalations: OrderView[];
  cabinets: {
    cabinet_id: string;
    name: string;
    online: boolean;
    compartments: Compartment[];
    stock: { sku: string; name: string; on_hand: number; low: boolean }[];
  }[];
  workers: {
    worker_id: string;
    worker: string;
    status: string;
    accepted: number;
    mean_response_seconds: number | null;
  }[];
  response_times: {
    count: number;
    mean_seconds: number | null;
    p90_seconds: number | null;
  };
}

export interface FacesInfo {
  roles: string[];
  sites: {
    site: string;
    name: string;
    site_type: string;
    manager: boolean;
    rooms: { id: string; name: string }[];
    workers: { id: string; name: string }[];
  }[];
}

export function fetchFaces(hass: Hass): Promise<FacesInfo> {
  return hass.callWS<FacesInfo>({ type: "doorservice/faces" });
}

export function callAction(
  hass: Hass,
  service: string,
  data: Record<string, unknown>,
): Promise<unknown> {
  // notifyOnError false: the card shows the (translated) error itself.
  return hass.callService("doorservice", service, data, undefined, false, false);
}

export function errorText(err: unknown): string {
  if (err && typeof err === "object" && "message" in err) {
    return String((err as { message: unknown }).message);
  }
  return String(err);
}
