/** The page: header, the dataset panel, and the status line read aloud to screen readers. */
import { DatasetPanel } from './DatasetPanel';
import { LiveRegion } from './LiveRegion';

export function App() {
  return (
    <>
      <header className="app-header">
        <h1>Digit &amp; Fashion training playground</h1>
        <p>Load a dataset, build a network the way a Keras notebook does, and watch it learn.</p>
      </header>
      <main className="app-main">
        <DatasetPanel />
      </main>
      <LiveRegion />
    </>
  );
}
