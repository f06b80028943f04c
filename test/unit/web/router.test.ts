import { describe, expect, it } from 'vitest'
import { matchPath } from '../../../web/src/lib/route-match.js'

describe('matchPath', () => {
  it('matches fixed paths, ignoring trailing slashes', () => {
    expect(matchPath('/', '/')).toEqual({})
    expect(matchPath('/risks', '/risks/')).toEqual({})
    expect(matchPath('/risks', '/risk')).toBeUndefined()
    expect(matchPath('/', '/risks')).toBeUndefined()
  })

  it('decodes params', () => {
    expect(matchPath('/risks/:id', '/risks/r%2F1')).toEqual({ id: 'r/1' })
    expect(matchPath('/risks/:id', '/risks')).toBeUndefined()
    expect(matchPath('/risks/:id', '/risks/%E0%A4%A')).toBeUndefined()
  })
})
