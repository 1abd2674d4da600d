import { DEMO_AGENCIES, DEMO_API_KEY, DEMO_PASSWORD, DEMO_USERS } from './demo-catalogue.ts';

/**
 * What `npm start` prints once the demo is up: where it runs, the demo accounts (the ward desks' ones with
 * their agency, as in the README: they see only their ward's dossiers) and the demo integration key.
 */
export function demoBanner(baseUrl: string): string {
  const province = DEMO_AGENCIES.find((a) => a.key === 'province')!;
  const users = DEMO_USERS.map((u) => {
    const agency = DEMO_AGENCIES.find((a) => a.key === u.agency)!;
    const line = `    ${u.username.padEnd(18)} ${u.role.padEnd(13)} ${u.full_name}`;
    return agency === province
      ? line
      : `${line.padEnd(54)} (${agency.name.replace(/^Bộ phận Một cửa /, '')})`;
  }).join('\n');
  return (
    `\n  Một cửa + Zalo is running on ${baseUrl}\n` +
    `  API documentation: ${baseUrl}/docs\n\n` +
    `  Demo accounts (password ${DEMO_PASSWORD}):\n${users}\n\n` +
    `  Demo integration API key (${province.name.replace(/^Trung tâm Phục vụ hành chính công/, 'Trung tâm PVHCC')}):\n    ${DEMO_API_KEY}\n\n`
  );
}
