import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../web/src/lib/api.js'
import { type DownloadClient, download, fileNameOf } from '../../../web/src/lib/download.js'

/** A client answering `files` by path and the presigned link of stored files. */
function clientOf(files: Record<string, Response>, asked: string[] = []): DownloadClient {
  return {
    get: async (path: string) => {
      asked.push(path)
      return { url: `https://bucket.example${path}?X-Amz-Signature=abc` }
    },
    getFile: async (path: string) => {
      asked.push(path)
      const res = files[path]
      if (!res) throw new ApiError(401, 'unauthenticated', 'Sign in.')
      return res
    },
  }
}

describe('fileNameOf', () => {
  it('takes the quoted file name', () => {
    expect(fileNameOf('attachment; filename="risk-register-org-1-2026-12-07.csv"', 'x')).toBe(
      'risk-register-org-1-2026-12-07.csv',
    )
  })

  it('prefers the UTF-8 name (RFC 8187) over the ASCII fallback', () => {
    expect(
      fileNameOf(
        `attachment; filename="Bescheinigung M_rz.pdf"; filename*=UTF-8''Bescheinigung%20M%C3%A4rz.pdf`,
        'x',
      ),
    ).toBe('Bescheinigung März.pdf')
    expect(fileNameOf(`attachment; filename*=utf-8'de'%C3%9Cbersicht.xlsx`, 'x')).toBe('Übersicht.xlsx')
    expect(fileNameOf(`attachment; filename*=iso-8859-1''M%E4rz.csv`, 'x')).toBe('März.csv')
  })

  it('reads a token, escaped quotes and odd spacing and case', () => {
    expect(fileNameOf('attachment;filename=audit-log.csv', 'x')).toBe('audit-log.csv')
    expect(fileNameOf('Attachment; FILENAME = "a \\"b\\".csv"', 'x')).toBe('a _b_.csv')
    expect(fileNameOf('inline; filename="ismsflow.ics"', 'x')).toBe('ismsflow.ics')
  })

  it('never answers a path or control characters', () => {
    expect(fileNameOf('attachment; filename="../../etc/passwd"', 'x')).toBe('_.._etc_passwd')
    expect(fileNameOf(`attachment; filename*=UTF-8''..%2F..%2Fevil%0A.csv`, 'x')).toBe('_.._evil_.csv')
  })

  it('falls back to the given name without a usable header, and to "download" without either', () => {
    expect(fileNameOf(null, 'export.csv')).toBe('export.csv')
    expect(fileNameOf('attachment', 'soa.xlsx')).toBe('soa.xlsx')
    expect(fileNameOf(`attachment; filename*=UTF-8''%E0%A4%A`, 'x.csv')).toBe('%E0%A4%A')
    expect(fileNameOf('attachment; filename=""', '')).toBe('download')
  })
})

describe('download', () => {
  it('fetches an export with the signed-in client and saves it under the server’s name', async () => {
    const asked: string[] = []
    const saved: { name: string; blob: Blob }[] = []
    const path = '/api/risks/export.csv?lang=de'
    const client = clientOf(
      {
        [path]: new Response('id,title\n', {
          headers: { 'content-disposition': 'attachment; filename="risk-register-o-2026-12-07.csv"' },
        }),
      },
      asked,
    )
    await download(path, { client, save: (blob, name) => saved.push({ name, blob }) })
    expect(asked).toEqual([path])
    expect(saved.map((s) => s.name)).toEqual(['risk-register-o-2026-12-07.csv'])
    expect(await saved[0]?.blob.text()).toBe('id,title\n')
  })

  it('names the file by the path when the server names none', async () => {
    const names: string[] = []
    const path = '/api/incidents/export.xlsx?lang=en&open=true'
    await download(path, { client: clientOf({ [path]: new Response('PK') }), save: (_, n) => names.push(n) })
    expect(names).toEqual(['export.xlsx'])
  })

  it('fetches a stored file’s signed link, then navigates to it', async () => {
    const asked: string[] = []
    const went: string[] = []
    await download('/api/certification/projects/p1/files/ef-1', {
      stored: true,
      client: clientOf({}, asked),
      navigate: (u) => went.push(u),
    })
    expect(asked).toEqual(['/api/certification/projects/p1/files/ef-1/link'])
    expect(went).toEqual([
      'https://bucket.example/api/certification/projects/p1/files/ef-1/link?X-Amz-Signature=abc',
    ])
  })

  it('saves nothing and rejects with the API error when the server refuses', async () => {
    const saved: string[] = []
    await expect(
      download('/api/audit/export.csv', { client: clientOf({}), save: (_, n) => saved.push(n) }),
    ).rejects.toMatchObject({ status: 401 })
    expect(saved).toEqual([])
  })
})
