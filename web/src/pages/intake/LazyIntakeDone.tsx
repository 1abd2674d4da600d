import type { TDossierView } from '@contracts/dossier-view.ts';
import { Card, Spin } from 'antd';
import { lazy, Suspense } from 'react';

// The screen after saving (antd's Result and more) is not needed to start typing: it stays out of the first
// load and IntakePage fetches it once a procedure is picked, long before the dossier can be saved.
const load = () => import('./IntakeDone.tsx');
const IntakeDone = lazy(async () => ({ default: (await load()).IntakeDone }));

/** Starts fetching the success screen's code (nothing happens when it is already there). */
export function preloadIntakeDone(): void {
  void load();
}

/** IntakeDone, with a spinner on a slow connection while its code still loads, never a blank card. */
export function LazyIntakeDone(props: { dossier: TDossierView; onNext: () => void }) {
  return (
    <Suspense
      fallback={
        <Card>
          <Spin tip="Đang tải…">
            <div style={{ minHeight: 160 }} />
          </Spin>
        </Card>
      }
    >
      <IntakeDone {...props} />
    </Suspense>
  );
}
