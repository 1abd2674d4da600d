import { type Kysely, sql } from 'kysely';

/**
 * Issue 21's "later": the citizen's rating (issue 22) as an event for the connected one-stop software, in the
 * pull feed and in callbacks (`citizen.rated_dossier`). Written by a trigger on `rating`, so it is in the very
 * transaction that records or replaces the rating, whichever path did (the web page, Zalo's user_feedback), in
 * order with the dossier's other events. The citizen's comment goes too: the one-stop system reports the
 * citizens' satisfaction (QĐ 766) and already holds the dossier and its applicant; docs/ratings.md.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function rating_integration_event() returns trigger language plpgsql as $$
    begin
      perform record_integration_event(new.dossier_id, 'citizen.rated_dossier', jsonb_build_object(
        'stars', new.stars,
        'reasons', to_jsonb(new.reasons),
        'comment', new.comment,
        'channel', new.channel,
        'ratedAt', new.rated_at,
        'firstRatedAt', new.first_rated_at,
        'revision', new.revisions));
      return null;
    end $$;
    create trigger rating_integration_event after insert or update on rating
      for each row execute function rating_integration_event();
  `.execute(db);
}
