import { describe, expect, it } from 'vitest'
import { batchedLines } from '../../../infra/local/batched-lines.js'

const nextTurn = () => new Promise((r) => setImmediate(r))

describe('batchedLines', () => {
  it('writes the lines of one turn of the event loop in one write, in order, each with its newline', async () => {
    const writes: string[] = []
    const lines = batchedLines({ write: (t) => writes.push(t) })
    lines.write('{"n":1}')
    lines.write('{"n":2}')
    lines.write('{"n":3}')
    // Nothing is written within the turn.
    expect(writes).toEqual([])
    await nextTurn()
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n'])
    lines.write('{"n":4}')
    await nextTurn()
    expect(writes).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n', '{"n":4}\n'])
  })

  it('writes what is queued at once on flush, and nothing twice', async () => {
    const writes: string[] = []
    const lines = batchedLines({ write: (t) => writes.push(t) })
    lines.write('a')
    lines.flush()
    expect(writes).toEqual(['a\n'])
    await nextTurn()
    lines.flush()
    expect(writes).toEqual(['a\n'])
    // A line after a flush is written in its own turn.
    lines.write('b')
    await nextTurn()
    expect(writes).toEqual(['a\n', 'b\n'])
  })
})
