/** The page: header, a shared link's models, the main tabs (data, build and train, draw, compare), and the status line read aloud. */
import { useCallback, useMemo, useState } from 'react';
import { useAppStore } from '../store';
import { ComparePanel } from './ComparePanel';
import { DatasetPanel } from './DatasetPanel';
import { DocumentTitle } from './DocumentTitle';
import { DrawPanel } from './DrawPanel';
import { LeaveWarning } from './LeaveWarning';
import { LiveRegion } from './LiveRegion';
import { RUN_PICKER_ID } from './RunPicker';
import { ShareBanner } from './ShareBanner';
import { Tabs } from './Tabs';
import { focusTrain, TRAINING_CONTROLS_ID } from './TrainingControls';
import { TrainPanel } from './TrainPanel';
import { WorkerCrash } from './WorkerCrash';

type MainTab = 'data' | 'train' | 'draw' | 'compare';

/** Focuses the tab on show, where the focus goes when what had it leaves (a share banner). */
function focusShownTab(): void {
  document.querySelector<HTMLElement>('.main-tabs [role="tab"][aria-selected="true"]')?.focus();
}

export function App() {
  const [tab, setTab] = useState<MainTab>('data');
  // The same elements on every render: switching tabs then re-renders only what reads the
  // shown state (usePanelShown), not the panels' whole trees. Re-rendering the Data tab's
  // sample grid and pixel table made each switch a 30-50 ms task while a model trained.
  const selectRun = useAppStore((state) => state.selectRun);
  /** A run from Compare's queue, shown in Build & train, with the focus on the run picker there. */
  const showRun = useCallback(
    (id: string): void => {
      selectRun(id);
      setTab('train');
      // With one run there is no picker: the controls that name it, not Train (Enter would start another run).
      requestAnimationFrame(() => (document.getElementById(RUN_PICKER_ID) ?? document.getElementById(TRAINING_CONTROLS_ID))?.focus());
    },
    [selectRun],
  );
  const panels = useMemo(() => ({ data: <DatasetPanel />, train: <TrainPanel />, draw: <DrawPanel />, compare: <ComparePanel onShowRun={showRun} /> }), [showRun]);
  /**
   * Shared models just queued: one trains in view on Build & train, several are compared as
   * they train. The banner that had focus is gone, so focus goes there too, once it is shown.
   */
  const showQueued = (count: number): void => {
    const next = count === 1 ? 'train' : 'compare';
    setTab(next);
    requestAnimationFrame(() => (next === 'train' ? focusTrain() : focusShownTab()));
  };
  return (
    <>
      <header className="app-header">
        <h1>Digit &amp; Fashion training playground</h1>
        <p>Load a dataset, build a network the way a Keras notebook does, and watch it learn.</p>
      </header>
      <main className="app-main">
        <WorkerCrash />
        <ShareBanner onOpenBuilder={() => setTab('train')} onQueued={showQueued} onDismissed={focusShownTab} />
        <Tabs<MainTab>
          label="Playground"
          selected={tab}
          onSelect={setTab}
          className="main-tabs"
          tabs={[
            { id: 'data', label: 'Data', content: panels.data },
            { id: 'train', label: 'Build & train', content: panels.train },
            { id: 'draw', label: 'Draw', content: panels.draw },
            { id: 'compare', label: 'Compare', content: panels.compare },
          ]}
        />
      </main>
      <LiveRegion />
      <DocumentTitle />
      <LeaveWarning />
    </>
  );
}
