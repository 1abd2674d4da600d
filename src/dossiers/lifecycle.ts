import { z } from 'zod';
import type { ActingRole } from '../auth/actor.ts';
import { Status, type StatusCode } from '../contracts/statuses.ts';
import { cleanMultiline, cleanText } from '../contracts/text.ts';
import type { ConflictCode } from '../errors.ts';
import { citation, formName, formRuleSet } from '../forms/rule-sets.ts';

/**
 * The dossier lifecycle as data: which action goes from which statuses to which, who may take it and what
 * it must carry (domain-vn.md §3.2). Everything else (clock, forms, notifications) keys off the action.
 */
export type TransitionAction =
  | 'start_processing'
  | 'request_supplement'
  | 'receive_supplement'
  | 'request_payment'
  | 'confirm_payment'
  | 'refuse'
  | 'request_withdrawal'
  | 'stop'
  | 'complete'
  | 'return_result'
  | 'apologise';

const text = (max: number) =>
  z
    .string()
    .max(max * 4)
    .transform(cleanText)
    .pipe(z.string().min(1).max(max));
const multiline = (max: number) =>
  z
    .string()
    .max(max * 4)
    .transform(cleanMultiline)
    .pipe(z.string().min(1).max(max));

const fieldSchemas = {
  start_processing: z.object({}),
  request_supplement: z.object({
    reason: multiline(1000),
    missingDocuments: z.array(text(300)).min(1).max(50),
  }),
  receive_supplement: z.object({ receivedDocuments: z.array(text(300)).max(50).optional() }),
  request_payment: z.object({
    amountVnd: z.number().int().min(1).max(1_000_000_000_000),
    content: multiline(500),
  }),
  confirm_payment: z.object({ receiptNumber: text(100).optional() }),
  refuse: z.object({ reason: multiline(1000) }),
  request_withdrawal: z.object({ reason: multiline(1000).optional() }),
  stop: z.object({ reason: multiline(1000) }),
  complete: z.object({ resultSummary: multiline(1000).optional() }),
  return_result: z.object({
    method: z.enum(['direct', 'post', 'online']),
    receiverName: text(100).optional(),
  }),
  apologise: z.object({
    reason: multiline(1000),
    newDueDate: z.iso.date(),
  }),
} satisfies Record<TransitionAction, z.ZodType>;

export type TransitionFields<A extends TransitionAction> = z.output<(typeof fieldSchemas)[A]>;

/** Vietnamese names of the fields, for messages. */
export const FIELD_LABELS: Record<string, string> = {
  reason: 'Lý do',
  missingDocuments: 'Danh sách giấy tờ cần bổ sung',
  receivedDocuments: 'Giấy tờ đã nhận bổ sung',
  amountVnd: 'Số tiền (đồng)',
  content: 'Nội dung nghĩa vụ tài chính',
  receiptNumber: 'Số biên lai',
  resultSummary: 'Kết quả giải quyết',
  method: 'Hình thức trả kết quả',
  receiverName: 'Người nhận kết quả',
  newDueDate: 'Ngày hẹn trả mới',
  note: 'Ghi chú',
};

export interface TransitionRule {
  action: TransitionAction;
  from: readonly StatusCode[];
  to: StatusCode;
  roles: readonly ActingRole[];
  /** The button and journal label. */
  label: string;
  fields: z.ZodType;
}

const DESK: ActingRole[] = ['desk_officer', 'admin', 'integration'];
const PROCESSING: ActingRole[] = ['desk_officer', 'specialist', 'leader', 'admin', 'integration'];
const SIGNING: ActingRole[] = ['leader', 'admin', 'integration'];

export const TRANSITIONS: readonly TransitionRule[] = [
  {
    action: 'start_processing',
    from: [Status.Received],
    to: Status.Processing,
    roles: PROCESSING,
    label: 'Chuyển xử lý',
    fields: fieldSchemas.start_processing,
  },
  {
    action: 'request_supplement',
    from: [Status.Received, Status.Processing],
    to: Status.SupplementRequested,
    roles: PROCESSING,
    label: 'Yêu cầu bổ sung giấy tờ',
    fields: fieldSchemas.request_supplement,
  },
  {
    action: 'receive_supplement',
    from: [Status.SupplementRequested],
    to: Status.Processing,
    roles: DESK,
    label: 'Nhận hồ sơ bổ sung',
    fields: fieldSchemas.receive_supplement,
  },
  {
    action: 'request_payment',
    from: [Status.Processing],
    to: Status.FinancialObligation,
    roles: PROCESSING,
    label: 'Yêu cầu thực hiện nghĩa vụ tài chính',
    fields: fieldSchemas.request_payment,
  },
  {
    action: 'confirm_payment',
    from: [Status.FinancialObligation],
    to: Status.Processing,
    roles: PROCESSING,
    label: 'Xác nhận đã nộp tiền',
    fields: fieldSchemas.confirm_payment,
  },
  {
    action: 'refuse',
    from: [Status.Received, Status.Processing, Status.SupplementRequested],
    to: Status.Refused,
    roles: PROCESSING,
    label: 'Từ chối giải quyết',
    fields: fieldSchemas.refuse,
  },
  {
    action: 'request_withdrawal',
    from: [Status.Received, Status.Processing, Status.SupplementRequested, Status.FinancialObligation],
    to: Status.WithdrawalRequested,
    roles: DESK,
    label: 'Công dân yêu cầu rút hồ sơ',
    fields: fieldSchemas.request_withdrawal,
  },
  {
    action: 'stop',
    from: [Status.Processing, Status.WithdrawalRequested],
    to: Status.Stopped,
    roles: SIGNING,
    label: 'Dừng xử lý',
    fields: fieldSchemas.stop,
  },
  {
    action: 'complete',
    from: [Status.Processing],
    to: Status.Done,
    roles: SIGNING,
    label: 'Phê duyệt kết quả',
    fields: fieldSchemas.complete,
  },
  {
    action: 'return_result',
    from: [Status.Done],
    to: Status.Returned,
    roles: DESK,
    label: 'Trả kết quả',
    fields: fieldSchemas.return_result,
  },
  {
    action: 'apologise',
    from: [Status.Processing],
    to: Status.Processing,
    roles: SIGNING,
    label: 'Xin lỗi và hẹn lại ngày trả',
    fields: fieldSchemas.apologise,
  },
];

/** The facts beyond the status that decide whether an action is possible now. */
export interface DossierFacts {
  status: StatusCode;
  apologyCount: number;
  dueDate: string;
  today: string;
  /** Reception date: the rules in force then are the ones cited. */
  receivedOn: string;
}

export type Refusal = { code: ConflictCode; message: string; userMessage: string };

/** Why the action cannot be taken now, or undefined when it can (roles are checked separately). */
export function blockedBecause(rule: TransitionRule, facts: DossierFacts): Refusal | undefined {
  if (!rule.from.includes(facts.status)) {
    return {
      code: 'invalid_transition',
      message: `Cannot ${rule.action} a dossier in status ${facts.status}`,
      userMessage: `Không thể "${rule.label}" khi hồ sơ đang ở trạng thái hiện tại.`,
    };
  }
  if (rule.action === 'apologise') {
    const rules = formRuleSet(facts.receivedOn);
    const basis = citation(rules, 'apologyOnce');
    if (facts.apologyCount > 0) {
      return {
        code: 'apology_already_issued',
        message: `The due date may be reset only once (${basis})`,
        userMessage: `Hồ sơ đã được xin lỗi và hẹn lại ngày trả một lần; không được hẹn lại lần nữa (${basis}).`,
      };
    }
    if (facts.today >= facts.dueDate) {
      return {
        code: 'apology_too_late',
        message: `An apology with a new date must be issued before the due date (${basis})`,
        userMessage: `${formName(rules, 'apology')} phải được lập chậm nhất 01 ngày trước ngày hẹn trả (${basis}).`,
      };
    }
  }
  return undefined;
}

/** The actions a role may take on a dossier now: what the UI shows as buttons. */
export function availableActions(role: ActingRole, facts: DossierFacts): TransitionRule[] {
  return TRANSITIONS.filter((rule) => rule.roles.includes(role) && !blockedBecause(rule, facts));
}

/**
 * Finds the rule for a request naming the target status and, optionally, the action. A move to the same
 * status (the apology, 4→4) must name its action, so a repeated "to: 4" is never mistaken for one.
 */
export function findRule(from: StatusCode, to: number, action?: string): TransitionRule | undefined {
  const candidates = TRANSITIONS.filter(
    (r) => r.to === to && (action === undefined ? !r.from.includes(r.to) : r.action === action),
  );
  return candidates.find((r) => r.from.includes(from)) ?? candidates[0];
}

export function ruleByAction(action: TransitionAction): TransitionRule {
  const rule = TRANSITIONS.find((r) => r.action === action);
  if (!rule) {
    throw new Error(`Unknown action ${action}`);
  }
  return rule;
}
