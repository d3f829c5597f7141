/** Bring your own dataset: drop or pick four IDX files (raw or .gz). Errors say which file and byte. */
import { useState, type DragEvent } from 'react';
import { useAppStore } from '../store';

export function UserDatasetDrop() {
  const addUserDataset = useAppStore((state) => state.addUserDataset);
  const error = useAppStore((state) => state.userDatasetError);
  const loading = useAppStore((state) => state.userDatasetLoading);
  const dismiss = useAppStore((state) => state.dismissUserDatasetError);
  const [dragging, setDragging] = useState(false);
  const onDrop = (event: DragEvent<HTMLDivElement>): void => {
    event.preventDefault();
    setDragging(false);
    addUserDataset(Array.from(event.dataTransfer.files));
  };
  return (
    // Dropping is a pointer shortcut; the file input inside is the control for everyone else.
    // eslint-disable-next-line jsx-a11y/no-static-element-interactions
    <div
      className={dragging ? 'drop-zone dragging' : 'drop-zone'}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      data-testid="idx-drop-zone"
    >
      <p>
        <strong>Your own dataset:</strong> drop four IDX files here (train and test images and labels, raw or{' '}
        <code>.gz</code>), or choose them:
      </p>
      {/* The visible words are the control's name (WCAG 2.5.3: a voice command says what it sees). */}
      <label className="file-button">
        Choose four IDX files…
        <input
          type="file"
          multiple
          onChange={(event) => {
            addUserDataset(Array.from(event.target.files ?? []));
            event.target.value = '';
          }}
        />
      </label>
      {loading && <p>Reading your files…</p>}
      {error && (
        <div className="buttons">
          <p className="error" role="alert">
            Your dataset was not loaded: {error.message}
          </p>
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
