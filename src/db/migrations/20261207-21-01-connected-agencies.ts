import { type Kysely, sql } from 'kysely';

/**
 * Issue 21: agencies connected to the one-stop software a province already runs.
 * - agency.desk_mode: 'own' (dossiers received and moved here) or 'connected' (the external system is the
 *   source of truth; it feeds dossiers and statuses through /api/v1).
 * - dossier.external_status_at: the `at` of the newest status the external system recorded; an older event
 *   arriving late is journaled only.
 * - external_status_event: one row per eventId, so a repeated event is a no-op.
 * - integration_event: what an external system may be told (pull feed and callbacks). `tx` is the writing
 *   transaction's id: readers order by (tx, id) and read only below the oldest running transaction, so a
 *   cursor never skips an event committed late.
 * - callback_subscription / callback_delivery: signed callbacks, one outbox row per subscription and event.
 * The events are recorded by triggers on notification and dossier_follower: every path that changes a
 * message's state (the batched dispatcher, receipts, the fallback sender) writes the event in its own
 * transaction without knowing about callbacks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table agency add column desk_mode text not null default 'own'
      check (desk_mode in ('own', 'connected'));
    alter table dossier add column external_status_at timestamptz;
    alter table dossier add column computed_due_date date;

    create table external_status_event (
      agency_id integer not null references agency(id),
      event_id text not null,
      dossier_id integer not null references dossier(id),
      status smallint not null,
      at timestamptz not null,
      journal_id bigint not null,
      applied boolean not null,
      received_at timestamptz not null default now(),
      primary key (agency_id, event_id)
    );

    create table callback_subscription (
      id serial primary key,
      agency_id integer not null references agency(id),
      api_key_id integer not null references api_key(id),
      url text not null,
      events text[] not null,
      secret_enc text not null,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index callback_subscription_agency on callback_subscription (agency_id) where active;

    create table integration_event (
      id bigserial primary key,
      tx xid8 not null default pg_current_xact_id(),
      agency_id integer not null references agency(id),
      dossier_id integer references dossier(id),
      dossier_code text,
      type text not null,
      data jsonb not null default '{}',
      at timestamptz not null default now()
    );
    create index integration_event_feed on integration_event (agency_id, tx, id);

    create table callback_delivery (
      id bigserial primary key,
      tx xid8 not null default pg_current_xact_id(),
      subscription_id integer not null references callback_subscription(id) on delete cascade,
      event_id bigint not null references integration_event(id),
      dossier_id integer,
      state text not null default 'pending' check (state in ('pending', 'delivered', 'given_up')),
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      claimed_until timestamptz,
      first_attempt_at timestamptz,
      last_attempt_at timestamptz,
      last_status integer,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz not null default now(),
      unique (subscription_id, event_id)
    );
    create index callback_delivery_pending on callback_delivery (tx, id) where state = 'pending';
    create index callback_delivery_order on callback_delivery (subscription_id, dossier_id, tx, id)
      where state = 'pending';
    create index callback_delivery_log on callback_delivery (subscription_id, id desc);

    -- Records an event for an agency that wants them (connected, or with an active subscription) and queues
    -- one delivery per subscription that asked for its type. Cheap when nobody listens: one indexed read.
    create function record_integration_event(p_dossier integer, p_type text, p_data jsonb) returns void
    language plpgsql as $$
    declare
      v_agency integer;
      v_code text;
      v_mode text;
      v_event bigint;
    begin
      select d.agency_id, d.code, a.desk_mode into v_agency, v_code, v_mode
        from dossier d join agency a on a.id = d.agency_id where d.id = p_dossier;
      if v_agency is null then
        return;
      end if;
      if v_mode <> 'connected' and not exists (
        select 1 from callback_subscription s where s.agency_id = v_agency and s.active) then
        return;
      end if;
      insert into integration_event (agency_id, dossier_id, dossier_code, type, data)
        values (v_agency, p_dossier, v_code, p_type, p_data) returning id into v_event;
      insert into callback_delivery (subscription_id, event_id, dossier_id)
        select s.id, v_event, p_dossier from callback_subscription s
        where s.agency_id = v_agency and s.active and p_type = any(s.events);
      if found then
        perform pg_notify('callback_deliveries', '');
      end if;
    end $$;

    create function notification_integration_event() returns trigger language plpgsql as $$
    declare
      v_type text;
      v_fallback boolean := new.channel in ('sms', 'email');
    begin
      if tg_op = 'UPDATE' and old.state is not distinct from new.state then
        return null;
      end if;
      if new.state = 'failed' then
        v_type := 'notification.failed';
      elsif new.state in ('sent', 'delivered') and v_fallback
            and (tg_op = 'INSERT' or old.state not in ('sent', 'delivered')) then
        v_type := 'fallback.sent';
      elsif new.state = 'sent' then
        v_type := 'notification.sent';
      elsif new.state = 'delivered' then
        v_type := 'notification.delivered';
      else
        return null;
      end if;
      perform record_integration_event(new.dossier_id, v_type, jsonb_build_object(
        'notificationId', new.id,
        'channel', new.channel,
        'state', new.state,
        'template', new.template_key,
        'statusJournalId', new.journal_id,
        'replacesNotificationId', new.replaces_notification_id,
        'fallbackReason', new.fallback_reason,
        'errorCode', new.error_code,
        'errorMessage', new.error_message,
        'reason', new.error_vi));
      return null;
    end $$;
    -- The WHEN keeps the function call off the dispatcher's hot path (queued, waiting, superseded…).
    create trigger notification_integration_event after insert or update of state on notification
      for each row when (new.state in ('sent', 'delivered', 'failed'))
      execute function notification_integration_event();

    create function follower_integration_event() returns trigger language plpgsql as $$
    begin
      if new.stopped_at is null and (tg_op = 'INSERT' or old.stopped_at is not null) then
        perform record_integration_event(new.dossier_id, 'citizen.followed_dossier',
          jsonb_build_object('channel', 'zalo'));
      end if;
      return null;
    end $$;
    create trigger follower_integration_event after insert or update of stopped_at on dossier_follower
      for each row execute function follower_integration_event();
  `.execute(db);
}
