import type { TwoFactorRequirement } from '@parley/protocol';
import { useId } from 'react';
import { hrefOf, paths } from '../../routes/paths';
import type { SettingsState } from './state';

const requirements: Array<{ value: TwoFactorRequirement; label: string }> = [
  { value: 'off', label: 'Nobody: each person chooses' },
  { value: 'admins', label: 'Admins' },
  { value: 'everyone', label: 'Everyone with a password' },
];

/**
 * Password sign-in on or off, and whom two-factor is required of. The server refuses turning password
 * sign-in off unless single sign-on is set up and the admin's own account is linked to it (or nobody,
 * the admin first, could sign in); the switch says so before anyone tries.
 */
export function SignInSettings({
  passwordLogin,
  twoFactor,
  savedPasswordLogin,
  self,
  onChange,
}: {
  passwordLogin: boolean;
  twoFactor: TwoFactorRequirement;
  savedPasswordLogin: boolean;
  self: SettingsState['self'];
  onChange: (change: { passwordLogin?: boolean; twoFactor?: TwoFactorRequirement }) => void;
}) {
  const id = useId();
  const provider = self?.signOn.provider ?? null;
  // Unknown (the status did not load): leave the switch to the server, whose refusal explains.
  const lockedOn = savedPasswordLogin && self !== undefined && !(provider && self.signOn.linked);
  const enrolSelf = self !== undefined && !self.twoFactor && twoFactor !== 'off';

  return (
    <fieldset>
      <legend>Sign-in</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={passwordLogin}
          disabled={lockedOn}
          aria-describedby={`${id}-password`}
          onChange={(e) => onChange({ passwordLogin: e.target.checked })}
        />{' '}
        People may sign in with a username and password
      </label>
      <p className="field-hint" id={`${id}-password`}>
        {lockedOn && !provider ? (
          'Single sign-on is not set up on this server (OIDC_ISSUER), so password sign-in stays on: turning it off would lock everyone out.'
        ) : lockedOn ? (
          <>
            To turn it off, first link your own account to {provider} in{' '}
            <a href={hrefOf(paths.settings('sign-in'))}>Settings → Sign-in</a>: otherwise you would lock
            yourself out.
          </>
        ) : passwordLogin ? (
          `Off: only “Sign in with ${provider ?? 'single sign-on'}” signs people in, and nobody registers with a password.`
        ) : (
          `Only “Sign in with ${provider ?? 'single sign-on'}” signs people in; nobody registers with a password.`
        )}
      </p>
      <div className="field">
        <label htmlFor={`${id}-2fa`}>Require two-factor sign-in of</label>
        <select
          id={`${id}-2fa`}
          value={twoFactor}
          aria-describedby={`${id}-2fa-hint`}
          onChange={(e) => onChange({ twoFactor: e.target.value as TwoFactorRequirement })}
        >
          {requirements.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
        <p className="field-hint" id={`${id}-2fa-hint`}>
          Those it names set up an authenticator app at their next sign-in and cannot turn two-factor off.
          Guests have no password and are never asked.
        </p>
        {enrolSelf ? (
          <p className="field-hint warning-text">
            You have not turned on two-factor yourself: you will be asked to set it up the next time you sign
            in (or now, in <a href={hrefOf(paths.settings('sign-in'))}>Settings → Sign-in</a>).
          </p>
        ) : null}
      </div>
    </fieldset>
  );
}
