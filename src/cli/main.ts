import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { type AppContext, createAppContext } from '../app-context.ts';
import {
  checkPasswordStrength,
  createApiKey,
  createUser,
  hashPassword,
  storePassword,
} from '../auth/index.ts';
import { loadConfigOrExit } from '../config.ts';
import { ROLES } from '../contracts/statuses.ts';
import { connectDatabase } from '../db/connect.ts';
import type { Role } from '../db/schema.ts';
import { loadDemoData } from '../demo/index.ts';
import { AppError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { failedStatusChanges, retryFailedStatusChanges } from '../notifications/index.ts';
import { recordAudit } from '../record-audit.ts';

/**
 * Administration from the shell: `npm run cli -- <command>`. Uses DATABASE_URL, or the embedded PostgreSQL
 * in DATA_DIR (shared with a running `npm start`).
 */
const USAGE = `Usage: npm run cli -- <command> [options]

  user create --username <u> --name "<full name>" --role <role> --agency <agency code> [--password <p>]
  user list [--agency <agency code>]
  user disable --username <u>
  user reset-password --username <u> [--password <p>]
  api-key create --agency <agency code> --name "<system name>"
  api-key list [--agency <agency code>]
  api-key revoke --id <id>
  agency list
  status-change failed
  status-change retry [--id <journal entry id>]
  demo load

Roles: ${Object.keys(ROLES).join(', ')}. Without --password a random one is generated and printed once.
`;

const SYSTEM = { kind: 'system' as const, name: 'CLI' };

type Out = (line: string) => void;

/** Runs one command; returns the exit code. Exported for tests. */
export async function runCli(app: AppContext, argv: string[], out: Out): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      agency: { type: 'string' },
      password: { type: 'string' },
      id: { type: 'string' },
    },
  });
  const [noun, verb] = positionals;
  const agencyId = async (code: string | undefined) => {
    if (!code) {
      throw new CliError('--agency <agency code> is required');
    }
    const row = await app.db.selectFrom('agency').select('id').where('code', '=', code).executeTakeFirst();
    if (!row) {
      throw new CliError(`No agency with code ${code} (see: npm run cli -- agency list)`);
    }
    return row.id;
  };
  /** `--agency` as an agency id, or null to list every agency's rows. */
  const agencyFilter = async () => (values.agency ? await agencyId(values.agency) : null);
  /** A list command's output: one line a row, after its id. */
  const printRows = <R extends { id: number }>(rows: R[], line: (row: R) => string) => {
    for (const row of rows) {
      out(`${String(row.id).padStart(4)}  ${line(row)}`);
    }
    return 0;
  };
  const required = (value: string | undefined, flag: string) => {
    if (!value) {
      throw new CliError(`--${flag} is required`);
    }
    return value;
  };

  switch (`${noun} ${verb}`) {
    case 'user create': {
      const role = required(values.role, 'role');
      if (!(role in ROLES)) {
        throw new CliError(`--role must be one of ${Object.keys(ROLES).join(', ')}`);
      }
      const password = values.password ?? generatedPassword();
      const user = await createUser(app, SYSTEM, {
        username: required(values.username, 'username'),
        fullName: required(values.name, 'name'),
        role: role as Role,
        agencyId: await agencyId(values.agency),
        password,
      });
      out(`Created user ${user.username} (${ROLES[user.role]}), id ${user.id}.`);
      if (!values.password) {
        out(`Password (shown once): ${password}`);
      }
      return 0;
    }
    case 'user list': {
      const agency = await agencyFilter();
      const users = await app.db
        .selectFrom('app_user as u')
        .innerJoin('agency as a', 'a.id', 'u.agency_id')
        .select(['u.id', 'u.username', 'u.full_name', 'u.role', 'a.code', 'u.disabled_at'])
        .$if(agency !== null, (q) => q.where('u.agency_id', '=', agency!))
        .orderBy('u.id')
        .execute();
      return printRows(
        users,
        (u) =>
          `${u.username.padEnd(20)} ${u.role.padEnd(13)} ${u.code.padEnd(16)} ${u.full_name}${u.disabled_at ? '  (disabled)' : ''}`,
      );
    }
    case 'user disable': {
      const username = required(values.username, 'username').toLowerCase();
      await app.db.transaction().execute(async (tx) => {
        const row = await tx
          .updateTable('app_user')
          .set((eb) => ({ disabled_at: app.clock(), session_version: eb('session_version', '+', 1) }))
          .where('username', '=', username)
          .returning('id')
          .executeTakeFirst();
        if (!row) {
          throw new CliError(`No user ${username}`);
        }
        await recordAudit(tx, SYSTEM, 'user.disable', { type: 'app_user', id: row.id });
      });
      out(`Disabled ${username}; their sessions have ended.`);
      return 0;
    }
    case 'user reset-password': {
      const username = required(values.username, 'username').toLowerCase();
      const password = values.password ?? generatedPassword();
      // The same policy as the officer app: never the demo password, a common one or a one-letter one.
      checkPasswordStrength(password, '--password', username);
      const hash = await hashPassword(password);
      await app.db.transaction().execute(async (tx) => {
        const updated = await storePassword(tx, { username }, hash, app.clock());
        if (!updated) {
          throw new CliError(`No user ${username}`);
        }
        await recordAudit(tx, SYSTEM, 'user.reset_password', { type: 'app_user', id: updated.id });
      });
      out(`New password for ${username}${values.password ? ' set.' : ` (shown once): ${password}`}`);
      return 0;
    }
    case 'api-key create': {
      const created = await createApiKey(app, SYSTEM, {
        agencyId: await agencyId(values.agency),
        name: required(values.name, 'name'),
      });
      out(`API key ${created.id} for ${values.agency} (shown once, store it now):`);
      out(created.key);
      return 0;
    }
    case 'api-key list': {
      const agency = await agencyFilter();
      const keys = await app.db
        .selectFrom('api_key as k')
        .innerJoin('agency as a', 'a.id', 'k.agency_id')
        .select(['k.id', 'k.name', 'k.prefix', 'a.code', 'k.revoked_at'])
        .$if(agency !== null, (q) => q.where('k.agency_id', '=', agency!))
        .orderBy('k.id')
        .execute();
      return printRows(
        keys,
        (k) => `mck_${k.prefix}_…  ${k.code.padEnd(16)} ${k.name}${k.revoked_at ? '  (revoked)' : ''}`,
      );
    }
    case 'api-key revoke': {
      const id = Number(required(values.id, 'id'));
      await app.db.transaction().execute(async (tx) => {
        const row = await tx
          .updateTable('api_key')
          .set({ revoked_at: app.clock() })
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        if (!row) {
          throw new CliError(`No active API key ${id}`);
        }
        await recordAudit(tx, SYSTEM, 'api_key.revoke', { type: 'api_key', id });
      });
      out(`Revoked API key ${id}.`);
      return 0;
    }
    case 'agency list': {
      for (const a of await app.db
        .selectFrom('agency')
        .select(['id', 'code', 'name'])
        .orderBy('id')
        .execute()) {
        out(`${String(a.id).padStart(4)}  ${a.code.padEnd(16)} ${a.name}`);
      }
      return 0;
    }
    case 'status-change failed': {
      const failed = await failedStatusChanges(app);
      for (const f of failed) {
        out(
          `${String(f.journal_id).padStart(8)}  ${f.code}  ${f.action}  ${f.attempts} attempts  ${f.last_error ?? ''}`,
        );
      }
      out(`${failed.length} status change(s) whose messages were given up.`);
      return 0;
    }
    case 'status-change retry': {
      const id = values.id === undefined ? undefined : Number(values.id);
      if (id !== undefined && !Number.isInteger(id)) {
        throw new CliError('--id must be the number of a journal entry (see: status-change failed)');
      }
      const n = await retryFailedStatusChanges(app, SYSTEM, id);
      out(`${n} status change(s) will be planned again.`);
      return 0;
    }
    case 'demo load': {
      out((await loadDemoData(app)) ? 'Demo data loaded.' : 'Demo data was already loaded.');
      return 0;
    }
    default:
      out(USAGE);
      return noun ? 2 : 0;
  }
}

export class CliError extends Error {}

function generatedPassword(): string {
  return `Mc${randomBytes(9).toString('base64url')}9`;
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger('warn');
  const database = await connectDatabase(config, logger, { stopAdoptedServer: false });
  const app = createAppContext(database.db, config, logger);
  let code: number;
  try {
    code = await runCli(app, process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
  } catch (err) {
    if (err instanceof CliError || err instanceof AppError) {
      process.stderr.write(`Error: ${err.message}\n`);
      code = 1;
    } else {
      throw err;
    }
  } finally {
    await database.close();
  }
  process.exit(code);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
