import { describe, expect, it } from 'vitest'
import { isOrgId, orgIdSchema } from '../../../functions/domain/org-id.js'
import {
  acrossOrgKeys,
  calendarFeedKeys,
  historyPk,
  identityKeys,
  orgIdOfPk,
  orgIndexPk,
  orgPk,
  recordSk,
} from '../../../functions/store/keys.js'

describe('keys', () => {
  // The keys are what stored data is found by: a change here loses every installation's data.
  it('builds the tenant keys as stored', () => {
    expect(orgPk('nordlicht')).toBe('ORG#nordlicht')
    expect(recordSk('risk', 'R-001')).toBe('risk#R-001')
    expect(orgIndexPk('nordlicht', 'PARTY')).toBe('ORG#nordlicht#PARTY')
    expect(historyPk('nordlicht', 'risk', 'R-001')).toBe('ORG#nordlicht#HIST#risk#R-001')
  })

  it('reads the organisation back from its partition key, and nothing from another', () => {
    expect(orgIdOfPk(orgPk('hafenstadt'))).toBe('hafenstadt')
    expect(orgIdOfPk('USER#u-1')).toBeUndefined()
  })

  it('builds the global keys as stored', () => {
    expect(identityKeys.memberOfOrg('nordlicht', 'u-1')).toEqual({ pk: 'ORG#nordlicht', sk: 'MEMBER#u-1' })
    expect(identityKeys.membershipOfUser('u-1', 'nordlicht')).toEqual({
      pk: 'USER#u-1',
      sk: 'MEMBER#nordlicht',
    })
    expect(identityKeys.orgProfile('nordlicht')).toEqual({ pk: 'ORG#nordlicht', sk: 'PROFILE' })
    expect(identityKeys.throttleSk(42)).toBe('MINUTE#000000000042')
    expect(calendarFeedKeys.user('u-1')).toEqual({ pk: 'CALFEED-USER#u-1', sk: 'FEED' })
    expect(acrossOrgKeys.task('t-1')).toBe('TASK#t-1')
  })
})

describe('OrgId', () => {
  it('accepts lower-case letters, digits and hyphens, 2 to 63 characters', () => {
    for (const id of ['nordlicht', 'a1', 'org-2', 'x'.repeat(63)]) expect(isOrgId(id)).toBe(true)
  })

  it('refuses anything that could reach into another key', () => {
    for (const id of ['', 'a', '-org', 'Org', 'org#1', 'org/1', 'x'.repeat(64), 42, undefined])
      expect(isOrgId(id)).toBe(false)
    expect(orgIdSchema.safeParse('ORG#x').error?.issues[0]?.message).toBe('must be an organisation id')
  })
})
