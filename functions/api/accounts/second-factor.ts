import type { Context } from 'hono'
import { appSecretSource } from '../../config-secret.js'
import { NotFoundError, UnauthenticatedError, validationError } from '../../domain/errors.js'
import type { UserProfile } from '../../store/identity.js'
import { createSecretBox } from '../../store/secret-box.js'
import { clientIp } from '../auth/client-ip.js'
import { verifyPassword } from '../auth/password.js'
import { signInThrottle } from '../auth/rate-limit.js'
import {
  looksLikeRecoveryCode,
  matchingStep,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUri,
  qrCodeSvg,
  recoveryHash,
} from '../auth/totp.js'
import type { AppEnv, Deps } from '../env.js'

/**
 * The optional second factor of local sign-in (your account page): set up with an
 * authenticator app (QR code), confirmed by its first code, which answers the recovery
 * codes once; turned off with the password. On AWS Cognito's MFA applies: 404 here.
 */

const boxOf = (deps: Deps) => createSecretBox(appSecretSource(deps.config))

const localOnly = (deps: Deps) => {
  if (deps.config.authMode !== 'local')
    throw new NotFoundError("Sign-in here is Cognito's: set up its MFA on the sign-in page.")
}

/** What the account page shows of the second factor. */
export const secondFactorView = (u: UserProfile) => ({
  enabled: !!u.totp,
  recoveryCodesLeft: u.totp?.recoveryHashes.length ?? 0,
})

/**
 * Starts setting up: a new secret (kept sealed, pending until confirmed) and the
 * `otpauth://` URI as a QR code and as text to type in. Starting again replaces it.
 */
export async function startSecondFactor(deps: Deps, userId: string) {
  localOnly(deps)
  const user = await deps.identity.getUser(userId)
  if (!user) throw new UnauthenticatedError('Your account no longer exists.')
  if (user.totp) throw validationError({ totp: 'is on already' }, 'Two-step sign-in is on already.')
  const secret = newTotpSecret()
  await deps.identity.updateUser(userId, {
    totpPending: { sealedSecret: await boxOf(deps).seal(secret), createdAt: deps.now().toISOString() },
  })
  const uri = otpauthUri(secret, user.email)
  return { secret, uri, qrSvg: qrCodeSvg(uri) }
}

/** Confirms the set-up with the app's first code: the factor is on, and the recovery codes are answered once. */
export async function confirmSecondFactor(deps: Deps, userId: string, code: string) {
  localOnly(deps)
  const user = await deps.identity.getUser(userId)
  if (!user?.totpPending) throw validationError({ code: 'has nothing to confirm: start the set-up first' })
  const secret = await boxOf(deps).open(user.totpPending.sealedSecret)
  const step = matchingStep(secret, code, deps.now())
  if (step === undefined) throw validationError({ code: 'is not correct' }, 'The code is not correct.')
  const recoveryCodes = newRecoveryCodes()
  await deps.identity.updateUser(userId, {
    totp: {
      sealedSecret: user.totpPending.sealedSecret,
      enabledAt: deps.now().toISOString(),
      lastStep: step,
      recoveryHashes: recoveryCodes.map(recoveryHash),
    },
    totpPending: null,
  })
  return { recoveryCodes }
}

/** Turns the second factor off: the password must be right (failures count like failed sign-ins). */
export async function disableSecondFactor(c: Context<AppEnv>, userId: string, password: string) {
  const deps = c.get('deps')
  localOnly(deps)
  const user = await deps.identity.getUser(userId)
  if (!user?.passwordHash) throw validationError({ password: 'cannot be checked for this account' })
  const throttle = signInThrottle(deps.identity)
  const ip = clientIp(c)
  await throttle.check(user.email, ip)
  if (!(await verifyPassword(password, user.passwordHash))) {
    await throttle.fail(user.email, ip)
    throw validationError({ password: 'is not correct' }, 'The password is not correct.')
  }
  await deps.identity.updateUser(userId, { totp: null, totpPending: null })
}

/**
 * Whether `code` is the person's second factor now: a six-digit code not used before, or
 * an unused recovery code (used up by this). The caller throttles failures like passwords.
 */
export async function checkSecondFactor(deps: Deps, user: UserProfile, code: string): Promise<boolean> {
  if (!user.totp) return false
  if (looksLikeRecoveryCode(code)) return deps.identity.useRecoveryCode(user.id, recoveryHash(code))
  const secret = await boxOf(deps).open(user.totp.sealedSecret)
  const step = matchingStep(secret, code, deps.now())
  return step !== undefined && deps.identity.useTotpStep(user.id, step)
}
