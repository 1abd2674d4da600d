/** The public entry of src/zalo-sandbox/: what other features and the app module may use. */

export type { SandboxHandle } from './plugin.ts';
export { mountZaloSandbox } from './plugin.ts';
