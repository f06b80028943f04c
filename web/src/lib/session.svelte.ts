import { ApiError, api } from './api.js'
import type { OidcClient, OidcSettings } from './oidc.js'
import { HOME, router } from './router.svelte.js'
import type { Principal, Role, SessionView } from './types.js'

/**
 * Where the app stands with the signed-in person. `unlinked`: signed in at the provider
 * (on AWS), but that account is not linked to an ismsflow account (no invitation accepted).
 */
export type SessionStatus = 'loading' | 'signed-out' | 'signed-in' | 'unlinked' | 'unreachable'

/** `GET /api/config`: how this installation signs people in. */
interface ClientConfig {
  authMode: 'local' | 'cognito'
  oidc: OidcSettings | null
}

/**
 * The signed-in person, reactive: sign in and out, switch organisation. Keeps the API
 * client's CSRF token (local sign-in) or ID token (sign-in on AWS) and `x-org-id` in step
 * with the session.
 */
class SessionState {
  status = $state<SessionStatus>('loading')
  principal = $state<Principal | null>(null)
  /** True when the last session ended on its own (shown on the sign-in page). */
  expired = $state(false)
  /** True on an installation nobody has set up yet (the first visit shows "Set up ismsflow"). */
  setupNeeded = $state(false)
  /** `local`: e-mail and password here; `cognito`: the provider's sign-in page. */
  authMode = $state<'local' | 'cognito'>('local')
  /** True when the provider's answer to a sign-in was refused. */
  signInFailed = $state(false)
  private oidc: OidcClient | null = null

  constructor() {
    api.onUnauthenticated(() => this.clear(true))
  }

  /** Asks the server who is signed in (on start); nobody is an answer (`principal: null`), not an error. */
  async load() {
    this.status = 'loading'
    try {
      if (!this.oidc) {
        const config = await api.get<ClientConfig>('/api/config')
        this.authMode = config.authMode
        if (config.oidc) {
          // Sign-in through a provider (AWS) only: its client comes with the first need.
          const { OidcClient } = await import('./oidc.js')
          const oidc = new OidcClient(config.oidc)
          this.oidc = oidc
          api.configure({ bearer: () => oidc.token() })
        }
      }
      const oidc = this.oidc
      if (oidc && !oidc.signedIn) {
        const url = new URL(location.href)
        if (oidc.isCallback(url)) {
          try {
            const back = await oidc.completeSignIn(url)
            router.navigate(back === '/' ? HOME : back, { replace: true })
          } catch {
            router.navigate('/', { replace: true })
            this.signInFailed = true
            this.clear(false)
            return
          }
        } else if (oidc.wasSignedIn) {
          // Tokens live in memory only: after a reload, sign in again (the provider remembers the person).
          await oidc.signIn(url.pathname + url.search)
          return
        } else {
          // Nobody signed in yet: on an installation nobody has set up, the app offers set-up.
          await this.signedOut()
          return
        }
      }
      const view = await api.get<SessionView>('/api/session')
      if (view.principal) this.apply(view)
      else await this.signedOut()
    } catch (err) {
      const status = err instanceof ApiError ? err.status : undefined
      if (status === 403 && this.oidc?.signedIn) this.unlinked()
      else if (status === 401 || status === 403) await this.signedOut()
      else this.status = 'unreachable'
    }
  }

  /** Nobody is signed in: on an installation nobody has set up, the app offers set-up. */
  private async signedOut() {
    this.setupNeeded = await api
      .get<{ needed: boolean }>('/api/setup')
      .then((r) => r.needed)
      .catch(() => false)
    this.clear(false)
  }

  /**
   * Signs in with e-mail and password (and the second factor's code, when the account has
   * one); throws the `ApiError` on failure (401 naming `code` when the code is needed).
   */
  async signIn(email: string, password: string, code?: string) {
    this.apply(
      await api.post<SessionView>('/api/session', code ? { email, password, code } : { email, password }),
    )
  }

  /** Sends the browser to the provider's sign-in page (on AWS), coming back to the current page. */
  async signInWithProvider() {
    this.signInFailed = false
    const path = location.pathname === '/' ? '/' : location.pathname + location.search
    await this.oidc?.signIn(path)
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

  /** Signs out on the server and forgets the session here; on AWS at the provider too (leaves the page). */
  async signOut() {
    try {
      await api.delete('/api/session')
    } catch {
      // Signing out goes on whatever the server says.
    } finally {
      this.clear(false)
      this.oidc?.signOut()
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
    this.signInFailed = false
    this.status = 'signed-in'
  }

  private unlinked() {
    api.configure({ csrfToken: null, orgId: null })
    this.principal = null
    this.status = 'unlinked'
  }

  private clear(expired: boolean) {
    api.configure({ csrfToken: null, orgId: null })
    this.principal = null
    this.expired = expired
    this.status = 'signed-out'
    if (expired) this.oidc?.forget()
  }
}

/** The app's session. */
export const session = new SessionState()
