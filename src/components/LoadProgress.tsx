/** Bytes received per file while a dataset downloads. */
import type { FileProgress } from '../data/load';

/** Bytes received of a total, in MB, or in kB for a file under a megabyte (a labels file is 5-60 kB). */
function amount(received: number, total: number | null): string {
  const [unit, size] = (total ?? received) < 1_000_000 ? ['kB', 1_000] : ['MB', 1_000_000];
  const digits = unit === 'kB' ? 0 : 1;
  const part = (bytes: number): string => (bytes / size).toFixed(digits);
  return total === null ? `${part(received)} ${unit}` : `${part(received)} / ${part(total)} ${unit}`;
}

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
          <span className="load-file-bytes">{amount(file.received, file.total)}</span>
        </div>
      ))}
    </div>
  );
}
