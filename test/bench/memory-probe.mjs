/**
 * Loaded into the app's process by `npm run bench:api` (`node --import`): writes the process's
 * memory as Node.js and V8 see it into `BENCH_MEMORY_FILE` once a second, so the benchmark can
 * split the RSS it reads into the V8 heap, buffers and the rest (malloc's, LevelDB's, code).
 */
import { writeFileSync } from 'node:fs'
import v8 from 'node:v8'

const file = process.env.BENCH_MEMORY_FILE
if (file) {
  const write = () => {
    const spaces = Object.fromEntries(
      v8
        .getHeapSpaceStatistics()
        .map((s) => [
          s.space_name,
          { size: s.space_size, used: s.space_used_size, physical: s.physical_space_size },
        ]),
    )
    const heap = v8.getHeapStatistics()
    writeFileSync(file, JSON.stringify({ at: Date.now(), usage: process.memoryUsage(), heap, spaces }))
  }
  setInterval(write, 1000).unref()
}
