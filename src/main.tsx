/** Entry point: mounts the app, starts loading the default dataset, and opens a share link if the URL carries one. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { loadDefaultDataset, useAppStore } from './store';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
loadDefaultDataset();
void useAppStore.getState().restoreSavedRuns();
const openShareLink = (): void => void useAppStore.getState().openShareLink(window.location.hash);
openShareLink();
// A link pasted into an open tab changes only the fragment: no reload, so listen for it.
window.addEventListener('hashchange', openShareLink);
