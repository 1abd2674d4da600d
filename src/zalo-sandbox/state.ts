import { createHash, randomBytes } from 'node:crypto';
import { newRefusals, type Refusals } from './faults.ts';

/**
 * The sandbox's world: one Zalo app linked to one OA, its tokens, the Zalo users (by phone and by OA user id),
 * approved templates, every message sent, quota, injected faults and call counters. Kept in memory: the sandbox
 * stands for an outside service with its own state (run it standalone to share it between app nodes).
 */
export interface SandboxOptions {
  appId: string;
  appSecret: string;
  oaId: string;
  oaSecretKey: string;
  oaName: string;
  /** Where signed webhooks go (the product's /webhooks/zalo); null sends none. */
  webhookUrl: string | null;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Delay of the ZBS delivery receipt after an accepted send. */
  receiptDelayMs: number;
  /** Multiplies the webhook retry schedule (+30 s, +5 min, …): 1 is real time, tests use a small value. */
  timeScale: number;
  dailyQuota: number;
  /** ZBS balance in VND and the price of one message. */
  balanceVnd: number;
  pricePerMessageVnd: number;
  /** Whether a mobile number nobody registered counts as a Zalo account (handy for demos). */
  unknownPhonesOnZalo: boolean;
}

export const DEFAULT_SANDBOX_OPTIONS: SandboxOptions = {
  appId: '1234567890123456789',
  appSecret: 'sandbox-app-secret',
  oaId: '4318510123456789012',
  oaSecretKey: 'sandbox-oa-secret-key',
  oaName: 'Dịch vụ công tỉnh Quảng Trị',
  webhookUrl: null,
  accessTokenTtlSeconds: 90_000,
  refreshTokenTtlSeconds: 90 * 86_400,
  receiptDelayMs: 1500,
  timeScale: 1,
  dailyQuota: 20_000,
  balanceVnd: 10_000_000,
  pricePerMessageVnd: 200,
  unknownPhonesOnZalo: true,
};

export interface TemplateParam {
  name: string;
  /** Zalo parameter type; its maximum length comes from TYPE_MAX_LENGTH unless set. */
  type: 'customer_name' | 'code' | 'label' | 'status' | 'time' | 'address' | 'product' | 'amount' | 'note';
  maxLength: number;
  require: boolean;
}

export interface Template {
  id: string;
  name: string;
  status: 'ENABLE' | 'PENDING_REVIEW' | 'REJECT' | 'DISABLE';
  tag: 1 | 2 | 3;
  params: TemplateParam[];
  /** The text as the citizen sees it, with <param> placeholders. */
  body: string;
  /** ZBS template type (zalo-platform.md §3.3.2): 1 custom (the default), 5 service rating. */
  type?: 1 | 5;
  /** A rating template's answers the citizen may tick (sent back as user_feedback's `feedbacks`). */
  ratingOptions?: string[];
}

/** Maximum lengths per parameter type (zalo-platform.md §3.3.4). */
export const TYPE_MAX_LENGTH: Record<TemplateParam['type'], number> = {
  customer_name: 30,
  code: 30,
  label: 30,
  status: 30,
  time: 20,
  address: 200,
  product: 200,
  amount: 20,
  note: 90,
};

export interface ZaloUser {
  uid: string;
  phone: string | null;
  name: string;
  follower: boolean;
  followedAt: number | null;
  /** Last interaction (follow, message): the consultation window counts from it. */
  lastInteractionAt: number | null;
  admin: boolean;
}

export interface SandboxMessage {
  msgId: string;
  direction: 'oa_to_user' | 'user_to_oa';
  kind: 'zbs_phone' | 'zbs_uid' | 'cs' | 'text' | 'link' | 'image';
  phone: string | null;
  uid: string | null;
  text: string;
  templateId?: string;
  templateData?: Record<string, string>;
  trackingId?: string;
  buttons?: { title: string; type: string; payload: unknown }[];
  /** Sent by an oa.query.hide button: the OA receives it, the chat does not show it. */
  hidden?: boolean;
  sentAt: number;
  deliveredAt: number | null;
  /** A rating template's message: its options, and the citizen's latest rating once given. */
  rating?: {
    options: string[];
    submitted: { rate: number; feedbacks: string[]; note: string; at: number } | null;
  };
}

export type EndpointKey =
  | 'oauth.permission'
  | 'oauth.access_token'
  | 'oa.message.cs'
  | 'oa.message.template'
  | 'oa.user.detail'
  | 'oa.user.getlist'
  | 'oa.quota.message'
  | 'oa.getoa'
  | 'zbs.message.template'
  | 'zbs.template.info'
  | 'zbs.template.all'
  | 'zbs.message.quota'
  | 'zbs.message.status';

export interface Fault {
  /** Added delay before answering. */
  latencyMs?: number;
  /** Answer with this Zalo error code (HTTP 200)… */
  errorCode?: number;
  /** …for the next N calls (then the fault clears), or… */
  remaining?: number;
  /** …in this percentage of calls. */
  percent?: number;
  /** Answer HTTP 500 instead. */
  http500?: boolean;
  /** Destroy the connection without answering. */
  drop?: boolean;
  /** Treat every access token as expired. */
  expiredToken?: boolean;
}

export interface WebhookDelivery {
  id: number;
  event: string;
  attempts: number;
  status: 'pending' | 'delivered' | 'failed';
  lastStatus: number | null;
  lastError: string | null;
}

export class SandboxState {
  readonly options: SandboxOptions;
  readonly authCodes = new Map<string, { codeChallenge: string | null; expiresAt: number; used: boolean }>();
  readonly accessTokens = new Map<string, number>();
  readonly refreshTokens = new Map<string, { expiresAt: number; used: boolean }>();
  readonly users = new Map<string, ZaloUser>();
  /** Phones registered by the admin API: on Zalo or explicitly not. */
  readonly phones = new Map<string, { onZalo: boolean }>();
  readonly templates = new Map<string, Template>();
  readonly messages: SandboxMessage[] = [];
  readonly faults = new Map<EndpointKey, Fault>();
  /** Refused refreshes and templates (faults.ts). */
  readonly refusals: Refusals = newRefusals();
  readonly counters = new Map<string, { calls: number; rejections: number }>();
  readonly webhooks: WebhookDelivery[] = [];
  quota: { daily: number; usedToday: number; day: string; balanceVnd: number };

  constructor(options: Partial<SandboxOptions> = {}) {
    this.options = { ...DEFAULT_SANDBOX_OPTIONS, ...options };
    this.quota = {
      daily: this.options.dailyQuota,
      usedToday: 0,
      day: vietnamDay(Date.now()),
      balanceVnd: this.options.balanceVnd,
    };
    for (const t of DEMO_TEMPLATES) {
      this.templates.set(t.id, structuredClone(t));
    }
  }

  count(endpoint: string, rejected: boolean): void {
    const c = this.counters.get(endpoint) ?? { calls: 0, rejections: 0 };
    c.calls++;
    if (rejected) {
      c.rejections++;
    }
    this.counters.set(endpoint, c);
  }

  /** Issues a fresh token pair (refresh tokens are single-use). */
  issueTokens(now: number) {
    const access = `sbx_at_${randomBytes(24).toString('base64url')}`;
    const refresh = `sbx_rt_${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(access, now + this.options.accessTokenTtlSeconds * 1000);
    this.refreshTokens.set(refresh, {
      expiresAt: now + this.options.refreshTokenTtlSeconds * 1000,
      used: false,
    });
    return {
      access_token: access,
      refresh_token: refresh,
      expires_in: String(this.options.accessTokenTtlSeconds),
    };
  }

  /** 'valid', 'expired' or 'invalid' for an access token. */
  checkAccessToken(
    token: string | undefined,
    now: number,
    endpoint: EndpointKey,
  ): 'valid' | 'expired' | 'invalid' {
    if (!token) {
      return 'invalid';
    }
    const expiresAt = this.accessTokens.get(token);
    if (expiresAt === undefined) {
      return 'invalid';
    }
    if (expiresAt <= now || this.faults.get(endpoint)?.expiredToken) {
      return 'expired';
    }
    return 'valid';
  }

  /** The Zalo user behind a phone (84…), creating it on first contact when the number is on Zalo. */
  userByPhone(phone: string): ZaloUser | undefined {
    const existing = [...this.users.values()].find((u) => u.phone === phone);
    if (existing) {
      return existing;
    }
    const registered = this.phones.get(phone);
    const onZalo = registered ? registered.onZalo : this.options.unknownPhonesOnZalo;
    if (!onZalo) {
      return undefined;
    }
    const user: ZaloUser = {
      uid: uidForPhone(this.options.oaId, phone),
      phone,
      name: `Người dùng Zalo ${phone.slice(-4)}`,
      follower: false,
      followedAt: null,
      lastInteractionAt: null,
      admin: false,
    };
    this.users.set(user.uid, user);
    return user;
  }

  isOnZalo(phone: string): boolean {
    const registered = this.phones.get(phone);
    if (registered) {
      return registered.onZalo;
    }
    return [...this.users.values()].some((u) => u.phone === phone) || this.options.unknownPhonesOnZalo;
  }

  /** Resets the quota counter at the day boundary (Vietnam time). */
  rollQuota(now: number): void {
    const day = vietnamDay(now);
    if (this.quota.day !== day) {
      this.quota.day = day;
      this.quota.usedToday = 0;
    }
  }
}

/** UIDs are per OA (zalo-platform.md §2.5.8): derive a stable 19-digit id from OA and phone. */
export function uidForPhone(oaId: string, phone: string): string {
  const digest = createHash('sha256').update(`${oaId}:${phone}`).digest();
  return (
    (BigInt(`0x${digest.subarray(0, 8).toString('hex')}`) % 9_000_000_000_000_000_000n) +
    1_000_000_000_000_000_000n
  ).toString();
}

function vietnamDay(now: number): string {
  return new Date(now + 7 * 3_600_000).toISOString().slice(0, 10);
}

export function messageId(): string {
  return randomBytes(10).toString('hex');
}

const DEMO_TEMPLATES: Template[] = [
  {
    id: '419001',
    name: 'Cập nhật trạng thái hồ sơ',
    status: 'ENABLE',
    tag: 1,
    params: [
      { name: 'ten_cong_dan', type: 'customer_name', maxLength: 30, require: true },
      { name: 'ma_ho_so', type: 'code', maxLength: 30, require: true },
      { name: 'ten_thu_tuc', type: 'product', maxLength: 200, require: true },
      { name: 'trang_thai', type: 'status', maxLength: 30, require: true },
      { name: 'ngay_hen_tra', type: 'time', maxLength: 20, require: false },
      { name: 'loi_nhan', type: 'note', maxLength: 90, require: false },
    ],
    body:
      'Xin chào <ten_cong_dan>, hồ sơ <ma_ho_so> (<ten_thu_tuc>) đã chuyển sang trạng thái: <trang_thai>. ' +
      'Ngày hẹn trả kết quả: <ngay_hen_tra>. <loi_nhan>',
  },
  {
    id: '419002',
    name: 'Yêu cầu bổ sung hồ sơ',
    status: 'ENABLE',
    tag: 1,
    params: [
      { name: 'ten_cong_dan', type: 'customer_name', maxLength: 30, require: true },
      { name: 'ma_ho_so', type: 'code', maxLength: 30, require: true },
      { name: 'giay_to_bo_sung', type: 'note', maxLength: 90, require: true },
    ],
    body: 'Xin chào <ten_cong_dan>, hồ sơ <ma_ho_so> cần bổ sung: <giay_to_bo_sung>. Vui lòng mang giấy tờ đến Bộ phận Một cửa.',
  },
  {
    id: '419005',
    name: 'Mời đánh giá dịch vụ',
    status: 'ENABLE',
    tag: 2,
    type: 5,
    params: [
      { name: 'ten_cong_dan', type: 'customer_name', maxLength: 30, require: true },
      { name: 'ma_ho_so', type: 'code', maxLength: 30, require: true },
      { name: 'ten_thu_tuc', type: 'product', maxLength: 200, require: true },
      { name: 'trang_thai', type: 'status', maxLength: 30, require: true },
    ],
    body:
      'Xin chào <ten_cong_dan>, hồ sơ <ma_ho_so> (<ten_thu_tuc>): <trang_thai>. ' +
      'Mời quý khách đánh giá mức độ hài lòng với việc giải quyết hồ sơ.',
    ratingOptions: ['Đúng hẹn', 'Thái độ cán bộ', 'Hướng dẫn rõ ràng', 'Phải đi lại nhiều lần'],
  },
  {
    id: '419003',
    name: 'Thông báo đang chờ duyệt',
    status: 'PENDING_REVIEW',
    tag: 1,
    params: [{ name: 'ma_ho_so', type: 'code', maxLength: 30, require: true }],
    body: 'Hồ sơ <ma_ho_so> có cập nhật mới.',
  },
];

/** The text of a template message with its data filled in. */
export function renderTemplate(t: Template, data: Record<string, string>): string {
  return t.body
    .replace(/<([a-z0-9_]+)>/g, (_, name: string) => data[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}
