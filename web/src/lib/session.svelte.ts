import { api } from './api.js'
import type { Principal, Role, SessionView } from './types.js'

/** Where the app stands with the signed-in person. */
export type SessionStatus = 'loading' | 'signed-out' | 'signed-in' | 'unreachable'

/**
 * The signed-in person, reactive: sign in and out, switch organisation. Keeps the API
 * client's CSRF token and `x-org-id` in step with the session.
 */
class SessionState {
  status = $state<SessionStatus>('loading')
  principal = $state<Principal | null>(null)
  /** True when the last session ended on its own (shown on the sign-in page). */
  expired = $state(false)
  /** True on an installation nobody has set up yet (the first visit shows "Set up ismsflow"). */
  setupNeeded = $state(false)

  constructor() {
    api.onUnauthenticated(() => this.clear(true))
  }

  /** Asks the server who is signed in (on start); nobody is an answer (`principal: null`), not an error. */
  async load() {
    this.status = 'loading'
    try {
      const view = await api.get<SessionView>('/api/session')
      if (view.principal) this.apply(view)
      else this.clear(false)
    } catch (err) {
      const status = (err as { status?: number }).status
      if (status === 401 || status === 403) {
        this.setupNeeded = await api
          .get<{ needed: boolean }>('/api/setup')
          .then((r) => r.needed)
          .catch(() => false)
        this.clear(false)
      } else this.status = 'unreachable'
    }
  }

  /** Signs in with e-mail and password; throws the `ApiError` on failure. */
  async signIn(email: string, password: string) {
    this.apply(await api.post<SessionView>('/api/session', { email, password }))
  }

  /** Takes the session a set-up, an accepted invitation or a password link answered. */
  adopt(view: SessionView) {
    this.setupNeeded = false
    this.apply(view)
  }

  /** Re-reads the session (after memberships changed, e.g. a new organisation). */
  async refresh() {
    this.apply(await api.get<SessionView>('/api/session'))
  }

  /** Forgets the session here after the server ended it (sign out everywhere). */
  forget() {
    this.clear(false)
  }

  /** Signs out on the server and forgets the session here. */
  async signOut() {
    try {
      await api.delete('/api/session')
    } finally {
      this.clear(false)
    }
  }

  /** Acts in another organisation from now on. */
  async switchOrg(orgId: string) {
    this.apply(await api.post<SessionView>('/api/session/org', { orgId }))
  }

  /** Whether the person holds one of `roles` in the current organisation. */
  hasRole(...roles: Role[]) {
    return !!this.principal?.roles.some((r) => roles.includes(r))
  }

  /** The current organisation's name. */
  get orgName() {
    const p = this.principal
    return p?.memberships.find((m) => m.orgId === p.orgId)?.orgName ?? ''
  }

  private apply(view: SessionView) {
    if (!view.principal) return this.clear(false)
    api.configure({ csrfToken: view.csrfToken, orgId: view.principal.orgId || null })
    this.principal = view.principal
    this.expired = false
    this.status = 'signed-in'
  }

  private clear(expired: boolean) {
    api.configure({ csrfToken: null, orgId: null })
    this.principal = null
    this.expired = expired
    this.status = 'signed-out'
  }
}

/** The app's session. */
export const session = new SessionState()
