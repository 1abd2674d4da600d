import { type ReactNode, useLayoutEffect, useRef } from 'react';

/**
 * Keeps the keyboard off the clear buttons inside (the date picker's "×", shown once a date is typed): Tab
 * goes from the date straight to the next field, as officers expect when they type a form through.
 * The button still works with the mouse.
 */
export function SkipClearButtons({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const root = ref.current;
    if (!root) {
      return;
    }
    const untab = () => {
      for (const button of root.querySelectorAll('.ant-picker-clear, .ant-select-clear')) {
        button.setAttribute('tabindex', '-1');
      }
    };
    untab();
    const observer = new MutationObserver(untab);
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);
  return <div ref={ref}>{children}</div>;
}
