import type { ActingRole } from '../actor.ts';
import { Status, type StatusCode } from '../contracts/statuses.ts';
import type { TransitionAction } from '../contracts/transitions.ts';
import type { ConflictCode } from '../errors.ts';
import { citation, formName, formRuleSet } from './rule-sets.ts';

export type { TransitionAction, TransitionFields } from '../contracts/transitions.ts';

/**
 * The dossier lifecycle as data: which action goes from which statuses to which and who may take it
 * (domain-vn.md §3.2); what each action carries is ZTransitionFields (src/contracts/transitions.ts), shared with
 * the officer app. Everything else (clock, forms, notifications) keys off the action.
 */
export interface TransitionRule {
  action: TransitionAction;
  from: readonly StatusCode[];
  to: StatusCode;
  roles: readonly ActingRole[];
  /** The button and journal label. */
  label: string;
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
  },
  {
    action: 'request_supplement',
    from: [Status.Received, Status.Processing],
    to: Status.SupplementRequested,
    roles: PROCESSING,
    label: 'Yêu cầu bổ sung giấy tờ',
  },
  {
    action: 'receive_supplement',
    from: [Status.SupplementRequested],
    to: Status.Processing,
    roles: DESK,
    label: 'Nhận hồ sơ bổ sung',
  },
  {
    action: 'request_payment',
    from: [Status.Processing],
    to: Status.FinancialObligation,
    roles: PROCESSING,
    label: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  },
  {
    action: 'confirm_payment',
    from: [Status.FinancialObligation],
    to: Status.Processing,
    roles: PROCESSING,
    label: 'Xác nhận đã nộp tiền',
  },
  {
    action: 'refuse',
    from: [Status.Received, Status.Processing, Status.SupplementRequested],
    to: Status.Refused,
    roles: PROCESSING,
    label: 'Từ chối giải quyết',
  },
  {
    action: 'request_withdrawal',
    from: [Status.Received, Status.Processing, Status.SupplementRequested, Status.FinancialObligation],
    to: Status.WithdrawalRequested,
    roles: DESK,
    label: 'Công dân yêu cầu rút hồ sơ',
  },
  {
    action: 'stop',
    from: [Status.Processing, Status.WithdrawalRequested],
    to: Status.Stopped,
    roles: SIGNING,
    label: 'Dừng xử lý',
  },
  {
    action: 'complete',
    from: [Status.Processing],
    to: Status.Done,
    roles: SIGNING,
    label: 'Phê duyệt kết quả',
  },
  {
    action: 'return_result',
    from: [Status.Done],
    to: Status.Returned,
    roles: DESK,
    label: 'Trả kết quả',
  },
  {
    action: 'apologise',
    from: [Status.Processing],
    to: Status.Processing,
    roles: SIGNING,
    label: 'Xin lỗi và hẹn lại ngày trả',
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
