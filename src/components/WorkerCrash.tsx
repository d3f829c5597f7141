/** Says, until dismissed, that the training worker crashed and was restarted, and what that cost. */
import { useAppStore } from '../store';

export function WorkerCrash() {
  const error = useAppStore((state) => state.workerError);
  const dismiss = useAppStore((state) => state.dismissWorkerError);
  if (error === null) return null;
  return (
    <section className="panel share-banner" aria-label="Training worker">
      <p className="error" role="alert">
        {error}
      </p>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </section>
  );
}
