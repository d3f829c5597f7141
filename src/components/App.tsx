/** The page: header, a shared link's models, the main tabs (data, build and train, draw, compare), and the status line read aloud. */
import { useState } from 'react';
import { ComparePanel } from './ComparePanel';
import { DatasetPanel } from './DatasetPanel';
import { DrawPanel } from './DrawPanel';
import { LiveRegion } from './LiveRegion';
import { ShareBanner } from './ShareBanner';
import { Tabs } from './Tabs';
import { TrainPanel } from './TrainPanel';
import { WorkerCrash } from './WorkerCrash';

type MainTab = 'data' | 'train' | 'draw' | 'compare';

export function App() {
  const [tab, setTab] = useState<MainTab>('data');
  return (
    <>
      <header className="app-header">
        <h1>Digit &amp; Fashion training playground</h1>
        <p>Load a dataset, build a network the way a Keras notebook does, and watch it learn.</p>
      </header>
      <main className="app-main">
        <WorkerCrash />
        <ShareBanner onOpenBuilder={() => setTab('train')} />
        <Tabs<MainTab>
          label="Playground"
          selected={tab}
          onSelect={setTab}
          className="main-tabs"
          tabs={[
            { id: 'data', label: 'Data', content: <DatasetPanel /> },
            { id: 'train', label: 'Build & train', content: <TrainPanel /> },
            { id: 'draw', label: 'Draw', content: <DrawPanel /> },
            // Mounted only while shown: it redraws as every run streams, which a hidden tab need not.
            { id: 'compare', label: 'Compare', content: tab === 'compare' ? <ComparePanel /> : null },
          ]}
        />
      </main>
      <LiveRegion />
    </>
  );
}
