import { z } from 'zod';
import { cleanMultiline, cleanText } from './text.ts';

/**
 * What each lifecycle action carries (domain-vn.md §3.2), as ONE discriminated union on `action`: the server
 * validates a transition with it (src/dossiers/transition-dossier.ts) and the officer app's dialog validates the
 * same fields with the same limits before sending (web/src/pages/dossiers/TransitionDialog.tsx).
 */
export const TRANSITION_ACTIONS = [
  'start_processing',
  'request_supplement',
  'receive_supplement',
  'request_payment',
  'confirm_payment',
  'refuse',
  'request_withdrawal',
  'stop',
  'complete',
  'return_result',
  'apologise',
] as const;
export type TransitionAction = (typeof TRANSITION_ACTIONS)[number];

/** Character limits after cleaning (white space collapsed), shared by the server and the dialog's inputs. */
export const TRANSITION_LIMITS = {
  note: 2000,
  reason: 1000,
  document: 300,
  documents: 50,
  content: 500,
  receiptNumber: 100,
  resultSummary: 1000,
  receiverName: 100,
  amountVnd: 1_000_000_000_000,
} as const;

// The raw text may be longer than the limit (runs of spaces, CRLF) but not unboundedly so.
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

/** The free note any action may carry; empty is no note. */
export const ZTransitionNote = z
  .string()
  .max(TRANSITION_LIMITS.note * 4)
  .transform(cleanMultiline)
  .pipe(z.string().max(TRANSITION_LIMITS.note));

const L = TRANSITION_LIMITS;
const action = <A extends TransitionAction, S extends z.ZodRawShape>(name: A, shape: S) =>
  z.object({ action: z.literal(name), note: ZTransitionNote.optional(), ...shape });

export const ZTransitionFields = z.discriminatedUnion('action', [
  action('start_processing', {}),
  action('request_supplement', {
    reason: multiline(L.reason),
    missingDocuments: z.array(text(L.document)).min(1).max(L.documents),
  }),
  action('receive_supplement', { receivedDocuments: z.array(text(L.document)).max(L.documents).optional() }),
  action('request_payment', {
    amountVnd: z.number().int().min(1).max(L.amountVnd),
    content: multiline(L.content),
  }),
  action('confirm_payment', { receiptNumber: text(L.receiptNumber).optional() }),
  action('refuse', { reason: multiline(L.reason) }),
  action('request_withdrawal', { reason: multiline(L.reason).optional() }),
  action('stop', { reason: multiline(L.reason) }),
  action('complete', { resultSummary: multiline(L.resultSummary).optional() }),
  action('return_result', {
    method: z.enum(['direct', 'post', 'online']),
    receiverName: text(L.receiverName).optional(),
  }),
  action('apologise', { reason: multiline(L.reason), newDueDate: z.iso.date() }),
]);
export type TTransitionFields = z.output<typeof ZTransitionFields>;
export type TransitionFields<A extends TransitionAction> = Omit<
  Extract<TTransitionFields, { action: A }>,
  'action' | 'note'
>;

/** Vietnamese names of the fields, for messages. */
export const TRANSITION_FIELD_LABELS: Record<string, string> = {
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

/**
 * The request body of POST …/transitions: the target status, the action when it must be named, and the action's
 * fields (ZTransitionFields) beside them. Loose on purpose: the action is usually inferred from the target status,
 * so its fields can only be checked once the rule is known.
 */
export const ZTransitionRequest = z
  .object({
    to: z.number().int().describe('Target national status number'),
    action: z.string().max(50).optional().describe('e.g. apologise (4→4); otherwise inferred'),
    note: z.string().optional().describe(`Free note, at most ${TRANSITION_LIMITS.note} characters`),
  })
  .catchall(z.unknown())
  .describe(
    'Extra fields by action: request_supplement {reason, missingDocuments[]}; refuse/stop {reason}; ' +
      'request_payment {amountVnd, content}; return_result {method: direct|post|online, receiverName?}; ' +
      'apologise {reason, newDueDate}; receive_supplement {receivedDocuments[]?}; confirm_payment {receiptNumber?}',
  );
export type TTransitionRequest = z.input<typeof ZTransitionRequest>;
