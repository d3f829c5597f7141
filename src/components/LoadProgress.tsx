/** Bytes received per file while a dataset downloads. */
import type { FileProgress } from '../data/load';

const megabytes = (bytes: number): string => (bytes / 1_000_000).toFixed(1);

interface LoadProgressProps {
  readonly name: string;
  readonly progress: Readonly<Record<string, FileProgress>>;
}

export function LoadProgress({ name, progress }: LoadProgressProps) {
  const files = Object.values(progress);
  return (
    <div className="load-progress" aria-busy="true">
      <h3>Loading {name}…</h3>
      {files.map((file) => (
        <div key={file.file} className="load-file">
          <span className="load-file-name">{file.file}</span>
          <progress aria-label={`${file.file} downloaded`} max={file.total ?? undefined} value={file.received} />
          <span className="load-file-bytes">
            {megabytes(file.received)}
            {file.total === null ? '' : ` / ${megabytes(file.total)}`} MB
          </span>
        </div>
      ))}
    </div>
  );
}
