/** English and Chinese (Simplified) texts of the cards, chosen by the user's language. */
import type { Hass } from "./api";

type Texts = Record<string, string>;

const EN: Texts = {
  "state.queued": "Waiting for staff",
  "state.offered": "Finding staff",
  "state.accepted": "On the way",
  "state.in_progress": "In progress",
  "state.awaiting_return": "Done, key being returned",
  "state.awaiting_dropoff": "Waiting for the key",
  "state.completed": "Done",
  "state.closed": "Done",
  "state.cancelled": "Cancelled",
  "staff_state.queued": "Queued",
  "staff_state.offered": "Offered to you",
  "staff_state.accepted": "Accepted",
  "staff_state.in_progress": "Working",
  "staff_state.awaiting_return": "Return the key",
  "staff_state.awaiting_dropoff": "Waiting for the key",
  "staff_state.completed": "Done",
  "staff_state.closed": "Closed",
  "staff_state.cancelled": "Cancelled",
  "manager_state.queued": "Queued",
  "manager_state.offered": "Offered",
  "manager_state.accepted": "Accepted",
  "manager_state.in_progress": "In progress",
  "manager_state.awaiting_return": "Key being returned",
  "manager_state.awaiting_dropoff": "Waiting for the key",
  "manager_state.completed": "Completed",
  "manager_state.closed": "Closed",
  "manager_state.cancelled": "Cancelled",
  "room.requests": "Ask for",
  "room.status": "My requests",
  "room.none": "No requests yet",
  "room.free": "Free",
  "room.confirm": "Send request",
  "room.cancel": "Back",
  "room.quantity": "How many",
  "room.sent": "Request sent: {service}",
  "room.by": "{worker}",
  "room.eta": "expected by {time}",
  "room.done_at": "done at {time}",
  "room.dnd": "Do not disturb",
  "room.dnd_on": "Do not disturb is on",
  "room.appliances": "In my room",
  "room.bill": "My bill",
  "room.bill_empty": "Nothing charged yet",
  "room.total": "Total",
  "room.no_stay": "Requests open when a stay starts.",
  "room.left": "Left-handed",
  "room.right": "Right-handed",
  "room.recent": "Earlier",
  "staff.offers": "Offers",
  "staff.work": "My work",
  "staff.nothing": "Nothing in {category}",
  "staff.accept": "Accept",
  "staff.decline": "Decline",
  "staff.start": "Start",
  "staff.done": "Done",
  "staff.give_back": "Give back",
  "staff.reason": "Reason",
  "staff.send": "Send",
  "staff.cancel": "Back",
  "staff.details": "Details",
  "staff.room": "Room",
  "staff.address": "Address",
  "staff.price": "Price",
  "staff.due": "Due",
  "staff.message": "Message",
  "staff.key": "Key",
  "staff.key_owner": "with the owner",
  "staff.key_compartment": "in {cabinet}, compartment {number}",
  "staff.key_worker": "with {worker}",
  "staff.items": "Items in {cabinet}, compartment {number}",
  "staff.code": "Your code comes to your phone when the cabinet is ready.",
  "staff.rooms": "Rooms I serve",
  "staff.change": "Ask to change",
  "staff.change_reason": "Why",
  "staff.board_offline": "room board offline",
  "staff.off_duty": "Off duty",
  "staff.on_duty": "On duty",
  "staff.swipe": "Swipe to switch category",
  "manager.open": "Open orders",
  "manager.escalations": "Escalations",
  "manager.none": "None",
  "manager.cabinets": "Cabinets",
  "manager.online": "online",
  "manager.offline": "offline",
  "manager.stock": "Stock",
  "manager.workers": "Response times",
  "manager.site_mean": "Site, last 24 h: {count} accepted, mean {mean}, p90 {p90}",
  "manager.overdue": "overdue",
  "manager.due": "due {time}",
  "manager.worker": "Worker",
  "manager.accepted": "Accepted",
  "manager.mean": "Mean response",
  "manager.door_open": "door open",
  "manager.out_of_service": "out of service",
  "contents.empty": "empty",
  "contents.reserved": "reserved",
  "contents.key": "key",
  "contents.supplies": "supplies",
  "worker_status.off_duty": "off duty",
  "worker_status.idle": "idle",
  "worker_status.offered": "offered",
  "worker_status.busy": "busy",
  "appliance.on": "On",
  "appliance.off": "Off",
  "appliance.open": "Open",
  "appliance.closed": "Closed",
  "category.cleaning": "Cleaning",
  "category.linen": "Linen",
  "category.food": "Food",
  "category.maintenance": "Maintenance",
  "category.concierge": "Concierge",
  "category.general": "General",
  "error.not_found": "Not found",
  "error.unauthorized": "This face is not yours to see.",
  "loading": "Loading…",
};

const ZH: Texts = {
  "state.queued": "等待服务人员",
  "state.offered": "正在安排人员",
  "state.accepted": "正在前往",
  "state.in_progress": "服务中",
  "state.awaiting_return": "已完成，正在归还钥匙",
  "state.awaiting_dropoff": "等待钥匙",
  "state.completed": "已完成",
  "state.closed": "已完成",
  "state.cancelled": "已取消",
  "staff_state.queued": "排队中",
  "staff_state.offered": "派给您",
  "staff_state.accepted": "已接单",
  "staff_state.in_progress": "进行中",
  "staff_state.awaiting_return": "请归还钥匙",
  "staff_state.awaiting_dropoff": "等待钥匙",
  "staff_state.completed": "已完成",
  "staff_state.closed": "已关闭",
  "staff_state.cancelled": "已取消",
  "manager_state.queued": "排队中",
  "manager_state.offered": "已派单",
  "manager_state.accepted": "已接单",
  "manager_state.in_progress": "进行中",
  "manager_state.awaiting_return": "等待归还钥匙",
  "manager_state.awaiting_dropoff": "等待钥匙",
  "manager_state.completed": "已完成",
  "manager_state.closed": "已关闭",
  "manager_state.cancelled": "已取消",
  "room.requests": "我需要",
  "room.status": "我的请求",
  "room.none": "暂无请求",
  "room.free": "免费",
  "room.confirm": "发送请求",
  "room.cancel": "返回",
  "room.quantity": "数量",
  "room.sent": "请求已发送：{service}",
  "room.by": "{worker}",
  "room.eta": "预计 {time} 前",
  "room.done_at": "{time} 完成",
  "room.dnd": "请勿打扰",
  "room.dnd_on": "请勿打扰已开启",
  "room.appliances": "房间设备",
  "room.bill": "我的账单",
  "room.bill_empty": "暂无消费",
  "room.total": "合计",
  "room.no_stay": "入住后即可发送请求。",
  "room.left": "左手",
  "room.right": "右手",
  "room.recent": "之前",
  "staff.offers": "新任务",
  "staff.work": "我的工作",
  "staff.nothing": "{category}暂无任务",
  "staff.accept": "接单",
  "staff.decline": "拒绝",
  "staff.start": "开始",
  "staff.done": "完成",
  "staff.give_back": "退回",
  "staff.reason": "原因",
  "staff.send": "发送",
  "staff.cancel": "返回",
  "staff.details": "详情",
  "staff.room": "房间",
  "staff.address": "地址",
  "staff.price": "价格",
  "staff.due": "截止",
  "staff.message": "留言",
  "staff.key": "钥匙",
  "staff.key_owner": "在业主处",
  "staff.key_compartment": "在{cabinet}第 {number} 格",
  "staff.key_worker": "在{worker}处",
  "staff.items": "物品在{cabinet}第 {number} 格",
  "staff.code": "柜子就绪后，开柜码会发送到您的手机。",
  "staff.rooms": "我服务的房间",
  "staff.change": "请求更改",
  "staff.change_reason": "原因",
  "staff.board_offline": "房间控制板离线",
  "staff.off_duty": "下班",
  "staff.on_duty": "值班中",
  "staff.swipe": "左右滑动切换类别",
  "manager.open": "未完成订单",
  "manager.escalations": "升级处理",
  "manager.none": "无",
  "manager.cabinets": "储物柜",
  "manager.online": "在线",
  "manager.offline": "离线",
  "manager.stock": "库存",
  "manager.workers": "响应时间",
  "manager.site_mean": "全站近 24 小时：接单 {count} 个，平均 {mean}，p90 {p90}",
  "manager.overdue": "已超时",
  "manager.due": "{time} 截止",
  "manager.worker": "员工",
  "manager.accepted": "接单数",
  "manager.mean": "平均响应",
  "manager.door_open": "门开着",
  "manager.out_of_service": "停用",
  "contents.empty": "空",
  "contents.reserved": "已预留",
  "contents.key": "钥匙",
  "contents.supplies": "用品",
  "worker_status.off_duty": "下班",
  "worker_status.idle": "空闲",
  "worker_status.offered": "待接单",
  "worker_status.busy": "忙碌",
  "appliance.on": "开",
  "appliance.off": "关",
  "appliance.open": "打开",
  "appliance.closed": "关闭",
  "category.cleaning": "清洁",
  "category.linen": "布草",
  "category.food": "餐饮",
  "category.maintenance": "维修",
  "category.concierge": "礼宾",
  "category.general": "其他",
  "error.not_found": "未找到",
  "error.unauthorized": "您无权查看此页面。",
  "loading": "加载中…",
};

/** Names of the default catalog's service types in Chinese (others keep their name). */
const ZH_SERVICES: Texts = {
  standard_cleaning: "标准清洁",
  deep_cleaning: "深度清洁",
  room_cleaning: "客房清洁",
  towels: "更换毛巾",
  bed_linen: "更换床单",
  amenities: "补充洗漱用品",
  laundry: "洗衣",
  minibar: "补充迷你吧",
  room_service_meal: "送餐服务",
  repair: "维修",
  wake_up_call: "叫醒服务",
  luggage: "行李服务",
  call_staff: "呼叫服务员",
};

export function language(hass: Hass | undefined, override?: string): "en" | "zh" {
  const lang = override || hass?.locale?.language || hass?.language || "en";
  return lang.toLowerCase().startsWith("zh") ? "zh" : "en";
}

export class Translator {
  readonly lang: "en" | "zh";

  constructor(hass: Hass | undefined, override?: string) {
    this.lang = language(hass, override);
  }

  t(key: string, vars: Record<string, string | number | null | undefined> = {}): string {
    const table = this.lang === "zh" ? ZH : EN;
    let text = table[key] ?? EN[key] ?? key;
    for (const [name, value] of Object.entries(vars)) {
      text = text.replace(`{${name}}`, value == null ? "" : String(value));
    }
    return text;
  }

  category(category: string): string {
    const key = `category.${category}`;
    return key in EN ? this.t(key) : category.charAt(0).toUpperCase() + category.slice(1);
  }

  /** A service type's name: the catalog's Chinese name, else the default one. */
  service(serviceType: string, name: string, names?: Record<string, string>): string {
    if (this.lang !== "zh") return name;
    return names?.["zh-Hans"] ?? ZH_SERVICES[serviceType] ?? name;
  }

  time(iso: string | null): string {
    if (!iso) return "";
    return new Date(iso).toLocaleTimeString(this.lang === "zh" ? "zh-CN" : "en-GB", {
      hour: "2-digit",
      minute: "2-digit",
    });
  }

  money(amount: string, currency: string): string {
    const value = Number(amount);
    if (!value) return this.t("room.free");
    try {
      return new Intl.NumberFormat(this.lang === "zh" ? "zh-CN" : "en-GB", {
        style: "currency",
        currency,
      }).format(value);
    } catch {
      return `${amount} ${currency}`;
    }
  }

  duration(seconds: number | null): string {
    if (seconds == null) return "–";
    if (seconds < 60) return this.lang === "zh" ? `${seconds} 秒` : `${seconds} s`;
    const minutes = Math.round(seconds / 60);
    if (minutes < 120) return this.lang === "zh" ? `${minutes} 分钟` : `${minutes} min`;
    const hours = (minutes / 60).toFixed(1);
    return this.lang === "zh" ? `${hours} 小时` : `${hours} h`;
  }
}
