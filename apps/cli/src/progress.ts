import { Presets, SingleBar } from 'cli-progress';

export interface ProgressReporter {
  update(done: number, total: number, detail: string): void;
  done(): void;
}

/**
 * A progress bar on a terminal; a line every few seconds (and at the end) when output goes to a file or a CI log,
 * where a redrawn bar would be noise.
 */
export function progressReporter(name: string, unit: string): ProgressReporter {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ format: `${name} [{bar}] {percentage}% | {value}/{total} ${unit} | {detail}`, stream: process.stderr }, Presets.shades_classic);
    let started = false;
    return {
      update: (done, total, detail) => {
        if (!started) bar.start(total, 0, { detail });
        started = true;
        bar.setTotal(total);
        bar.update(done, { detail });
      },
      done: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update: (done, total, detail) => {
      if (done < total && Date.now() - last < 2_000) return;
      last = Date.now();
      process.stderr.write(`${name}: ${total ? ((done / total) * 100).toFixed(1) : '100.0'} % (${done}/${total} ${unit}${detail ? `, ${detail}` : ''})\n`);
    },
    done: () => undefined,
  };
}
