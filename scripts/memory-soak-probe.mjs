// Loaded with `--import` into the bot process that scripts/memory-soak.ts starts, and only there:
// it answers the soak over the IPC channel of its parent (no port, nothing on the network) with
// the process's memory figures, after a full garbage collection when asked, and writes heap
// snapshots where the soak tells it to. Without an IPC channel it does nothing.
import { readFileSync } from 'node:fs';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';

// Resident memory split into anonymous (heap, malloc) and file-backed pages; Linux only.
function readResidentSplit() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssAnon: kib('RssAnon') * 1024, rssFile: kib('RssFile') * 1024 };
  } catch {
    return {};
  }
}

if (typeof process.send === 'function') {
  process.on('message', (message) => {
    if (typeof message !== 'object' || message === null) return;
    const { id, command, path } = message;
    if (command === 'measure' || command === 'measureAfterGc') {
      if (command === 'measureAfterGc') {
        if (typeof globalThis.gc !== 'function') {
          process.send({ id, error: 'gc is not exposed (start node with --expose-gc)' });
          return;
        }
        // Twice: the first pass runs finalizers whose objects only the second pass frees.
        globalThis.gc();
        globalThis.gc();
      }
      const heap = getHeapStatistics();
      const usage = {
        ...process.memoryUsage(),
        ...readResidentSplit(),
        // What V8 itself holds through malloc (compiler zones and the like), outside its heap.
        v8Malloced: heap.malloced_memory,
        v8PeakMalloced: heap.peak_malloced_memory,
      };
      process.send({ id, usage });
      return;
    }
    if (command === 'snapshot' && typeof path === 'string') {
      process.send({ id, path: writeHeapSnapshot(path) });
    }
  });
  // The channel must not keep the bot alive after it was told to stop.
  process.channel?.unref();
}
