/**
 * The bench's native peer (`npm run bench -- --peer`): finds a Python with PyTorch and runs
 * scripts/peer.py on the same plans as the browser, so each figure can be read as a ratio.
 * Debian's `python3-torch` installs into /usr/bin/python3, which may not be the first
 * python3 on the PATH; both are tried.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One training measurement to repeat natively. */
export interface PeerPlan {
  readonly model: string;
  readonly batchSize: number;
  readonly images: number;
  /** Epochs timed after one untimed epoch; the figure is their median. */
  readonly timedEpochs: number;
}

/** A plan's timed epochs on one thread count. */
export interface PeerTiming {
  readonly threads: number;
  /** The median of `eachEpoch`. */
  readonly samplesPerSecond: number;
  /** Samples per second of each timed epoch, in order. */
  readonly eachEpoch: readonly number[];
}

/** A plan's figures: the fastest thread count's, and every count's in `byThreads`. */
export interface PeerResult extends PeerPlan, PeerTiming {
  readonly params: number;
  readonly byThreads: readonly PeerTiming[];
}

export interface PeerReport {
  readonly framework: string;
  /** The thread counts each plan was timed at: 1 and every core, or `PEER_THREADS`. */
  readonly threadCounts: readonly number[];
  readonly results: readonly PeerResult[];
}

const PYTHONS = ['python3', '/usr/bin/python3'];
const SCRIPT = fileURLToPath(new URL('./peer.py', import.meta.url));

/** The first Python that can import torch, or null. */
export function findTorchPython(): string | null {
  for (const python of PYTHONS) {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
      return python;
    } catch {
      // no torch in this one
    }
  }
  return null;
}

/** Runs the plans in PyTorch on the CPU; null (with the reason on stderr) when there is no PyTorch. */
export function runPeer(plans: readonly PeerPlan[]): PeerReport | null {
  const python = findTorchPython();
  if (python === null) {
    console.error('--peer: no Python with PyTorch found (Debian: apt-get install python3-torch); skipping the native peer.');
    return null;
  }
  const out = execFileSync(python, [SCRIPT, JSON.stringify(plans)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as PeerReport;
}
