import { describe, expect, it } from 'vitest'
import { downloadEvidence } from '../../../web/src/lib/download.js'

describe('downloadEvidence', () => {
  it('fetches the signed link with the signed-in client, then navigates to it', async () => {
    const asked: string[] = []
    const went: string[] = []
    const client = {
      get: async (path: string) => {
        asked.push(path)
        return { url: 'https://bucket.example/orgs/o/evidence/ef-1?X-Amz-Signature=abc' }
      },
    }
    await downloadEvidence('/api/certification/projects/p1/files/ef-1', (u) => went.push(u), client)
    expect(asked).toEqual(['/api/certification/projects/p1/files/ef-1/link'])
    expect(went).toEqual(['https://bucket.example/orgs/o/evidence/ef-1?X-Amz-Signature=abc'])
  })

  it('navigates nowhere when the link is refused', async () => {
    const went: string[] = []
    const client = {
      get: async () => {
        throw new Error('401')
      },
    }
    await expect(downloadEvidence('/api/x/files/ef-2', (u) => went.push(u), client)).rejects.toThrow('401')
    expect(went).toEqual([])
  })
})
