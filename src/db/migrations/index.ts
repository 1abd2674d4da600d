import type { Migration } from 'kysely/migration';
import * as organisation from './20261126-01-organisation.ts';
import * as authAudit from './20261126-02-auth-audit.ts';
import * as calendar from './20261126-03-calendar.ts';
import * as dossiers from './20261126-04-dossiers.ts';
import * as officialCalendar from './20261126-05-official-calendar-2025-2026.ts';
import * as zaloChannel from './20261126-06-zalo-channel.ts';
import * as workerNodes from './20261126-07-worker-nodes.ts';
import * as lookup from './20261126-08-lookup.ts';
import * as fallback from './20261126-09-fallback.ts';
import * as listByProcedure from './20261126-10-list-by-procedure.ts';
import * as notificationClaims from './20261126-11-notification-claims.ts';
import * as eventClaims from './20261126-12-event-claims.ts';
import * as statusChangeOutbox from './20261126-13-status-change-outbox.ts';
import * as eventOrderPerCitizen from './20261126-14-event-order-per-citizen.ts';
import * as calendarYears from './20261207-16-01-calendar-years.ts';
import * as deadlineRules from './20261207-16-02-deadline-rules.ts';
import * as demoProcedures from './20261207-16-03-demo-procedures.ts';
import * as procedureAuthority from './20261207-16-04-procedure-authority.ts';
import * as sessions17 from './20261207-17-01-sessions.ts';
import * as dossierCodeSuffix from './20261207-18-01-dossier-code-suffix.ts';
import * as alertsByCause from './20261207-19-01-alerts-by-cause.ts';
import * as correlationAndWaitCause from './20261207-19-02-correlation-and-wait-cause.ts';
import * as installationId from './20261207-19-03-installation-id.ts';
import * as oneJobSystem from './20261207-20-01-one-job-system.ts';
import * as connectedAgencies from './20261207-21-01-connected-agencies.ts';
import * as ratings22 from './20261207-22-01-ratings.ts';
import * as ratingCallbackEvent from './20261208-21-02-rating-callback-event.ts';

/** Every migration, by name. Forward-only: a landed migration is never edited, only followed by a new one. */
export const migrations: Record<string, Migration> = {
  '20261126-01-organisation': organisation,
  '20261126-02-auth-audit': authAudit,
  '20261126-03-calendar': calendar,
  '20261126-04-dossiers': dossiers,
  '20261126-05-official-calendar-2025-2026': officialCalendar,
  '20261126-06-zalo-channel': zaloChannel,
  '20261126-07-worker-nodes': workerNodes,
  '20261126-08-lookup': lookup,
  '20261126-09-fallback': fallback,
  '20261126-10-list-by-procedure': listByProcedure,
  '20261126-11-notification-claims': notificationClaims,
  '20261126-12-event-claims': eventClaims,
  '20261126-13-status-change-outbox': statusChangeOutbox,
  '20261126-14-event-order-per-citizen': eventOrderPerCitizen,
  '20261207-16-01-calendar-years': calendarYears,
  '20261207-16-02-deadline-rules': deadlineRules,
  '20261207-16-03-demo-procedures': demoProcedures,
  '20261207-16-04-procedure-authority': procedureAuthority,
  '20261207-17-01-sessions': sessions17,
  '20261207-18-01-dossier-code-suffix': dossierCodeSuffix,
  '20261207-19-01-alerts-by-cause': alertsByCause,
  '20261207-19-02-correlation-and-wait-cause': correlationAndWaitCause,
  '20261207-19-03-installation-id': installationId,
  '20261207-20-01-one-job-system': oneJobSystem,
  '20261207-21-01-connected-agencies': connectedAgencies,
  '20261207-22-01-ratings': ratings22,
  '20261208-21-02-rating-callback-event': ratingCallbackEvent,
};
