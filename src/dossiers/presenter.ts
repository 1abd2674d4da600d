import type { ActingRole } from '../actor.ts';
import type { WorkingCalendar } from '../calendar/index.ts';
import {
  appointmentBasis,
  countedFrom,
  deadlineProgress,
  recomputedAppointment,
  vnDateOf,
} from '../calendar/index.ts';
import { displayStoredPhone } from '../contracts/phone.ts';
import { CHANNELS, historyLabel, STATUSES, type StatusCode } from '../contracts/statuses.ts';
import type { ReceivedDocument } from '../db/schema.ts';
import { signedLookupUrl } from '../lookup/index.ts';
import { finishedOnTime } from './effects.ts';
import { availableActions } from './lifecycle.ts';
import type { DossierRecord } from './repo.ts';
import { type FormKind, formName, formRuleSet } from './rule-sets.ts';

/** Turns rows into API responses; never returns a row as it is. */

export interface PresentOptions {
  calendar: WorkingCalendar;
  today: string;
  publicBaseUrl: string;
  lookupSecret: string;
  /** Base path of the receipt link: /api/v1 for integrations, /api for the officer app. */
  apiBase: string;
  role: ActingRole;
}

export function presentDossier(d: DossierRecord, o: PresentOptions) {
  const status = d.status as StatusCode;
  const open = d.finished_at === null;
  const facts = {
    status,
    apologyCount: d.apology_count,
    dueDate: d.due_date,
    today: o.today,
    receivedOn: vnDateOf(new Date(d.received_at)),
  };
  return {
    id: d.id,
    code: d.code,
    status,
    statusLabel: STATUSES[status].label,
    procedure: {
      code: d.procedure_code,
      name: d.procedure_name,
      field: d.procedure_field,
      processingDays: d.procedure_days,
      deadlineUnit: d.procedure_deadline_unit,
    },
    agency: { code: d.agency_code, name: d.agency_name },
    applicant: {
      fullName: d.applicant_name,
      idNumber: d.applicant_id_number,
      birthDate: d.applicant_birth_date,
      address: d.applicant_address,
      phone: d.phone,
      phoneDisplay: displayStoredPhone(d.phone),
      email: d.email,
    },
    notifyByZalo: d.notify_by_zalo,
    channel: d.channel,
    channelLabel: CHANNELS[d.channel],
    receivedDocuments: d.received_documents as unknown as ReceivedDocument[],
    copies: d.copies,
    note: d.note,
    receivedAt: new Date(d.received_at).toISOString(),
    appointmentDate: d.due_date,
    ...appointmentBasis(o.calendar, countedFrom(d), d.due_date),
    recomputedAppointmentDate: open ? recomputedAppointment(o.calendar, d) : null,
    originalAppointmentDate: d.original_due_date,
    clockPaused: d.clock_paused_at !== null,
    progress: open && d.clock_paused_at === null ? deadlineProgress(o.calendar, o.today, d.due_date) : null,
    onTime:
      finishedOnTime({
        finishedAt: d.finished_at,
        dueDate: d.due_date,
        originalDueDate: d.original_due_date,
        supplementCount: d.supplement_count,
      }) ?? null,
    supplementCount: d.supplement_count,
    apologyIssued: d.apology_count > 0,
    statusData: d.status_data as unknown as Record<string, unknown>,
    finishedAt: d.finished_at ? new Date(d.finished_at).toISOString() : null,
    returnedAt: d.returned_at ? new Date(d.returned_at).toISOString() : null,
    receiptUrl: `${o.publicBaseUrl}${o.apiBase}/dossiers/${encodeURIComponent(d.code)}/receipt.pdf`,
    lookupUrl: signedLookupUrl(o.publicBaseUrl, o.lookupSecret, d.code),
    actions: availableActions(o.role, facts).map((r) => ({ action: r.action, to: r.to, label: r.label })),
    forms: formsOf(d, o),
  };
}

/** The printed forms the dossier has, titled by the rules in force on its reception date. */
function formsOf(d: DossierRecord, o: PresentOptions) {
  const rules = formRuleSet(vnDateOf(new Date(d.received_at)));
  const kinds: FormKind[] = ['receipt'];
  if (d.supplement_count > 0) {
    kinds.push('supplement');
  }
  if (d.apology_count > 0) {
    kinds.push('apology');
  }
  if (d.status === 3) {
    kinds.push('refusal');
  }
  if (d.status === 8) {
    kinds.push('stop');
  }
  return kinds.map((kind) => ({
    kind,
    title: formName(rules, kind),
    formNumber: rules.formNumbers[kind],
    basis: rules.formNumbers[kind] ? rules.basis : rules.decree.name,
    url: `${o.publicBaseUrl}${o.apiBase}/dossiers/${encodeURIComponent(d.code)}/${kind}.pdf`,
  }));
}

export type DossierView = ReturnType<typeof presentDossier>;

/** The short answer of POST /api/v1/dossiers. */
export function presentCreated(v: DossierView) {
  return {
    id: v.id,
    code: v.code,
    status: v.status,
    receivedAt: v.receivedAt,
    appointmentDate: v.appointmentDate,
    appointmentDateBasis: v.appointmentDateBasis,
    appointmentProposedYears: v.appointmentProposedYears,
    receiptUrl: v.receiptUrl,
    lookupUrl: v.lookupUrl,
  };
}

export function presentJournalEntry(e: {
  seq: number;
  at: Date;
  action: string;
  from_status: number | null;
  to_status: number;
  actor_name: string;
  note: string;
  data: unknown;
}) {
  return {
    seq: e.seq,
    at: new Date(e.at).toISOString(),
    action: e.action,
    fromStatus: e.from_status,
    toStatus: e.to_status,
    toStatusLabel: STATUSES[e.to_status as StatusCode].label,
    /** The history line, in the citizen's words (the public timeline shows the same). */
    label: historyLabel(e.action, e.to_status),
    actorName: e.actor_name,
    note: e.note,
    data: e.data as Record<string, unknown>,
  };
}
