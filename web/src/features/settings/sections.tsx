import type { User } from '@parley/protocol';
import type { ComponentType } from 'react';
import { DeleteAccountSection } from './DeleteAccountSection';
import { NotificationsSection } from './NotificationsSection';
import { PasswordSection } from './PasswordSection';
import { ProfileSection } from './ProfileSection';
import { SessionsSection } from './SessionsSection';
import { SignInSection } from './TwoFactorSection';

/**
 * One part of the settings screen, at `#/settings/ID`. A capability that has settings of its own (two-factor
 * sign-in, notifications …) adds one entry to `settingsSections`; the screen lists them in this order and
 * shows the chosen one. `shown` hides an entry from some people (guests have no password to change).
 */
export interface SettingsSection {
  id: string;
  title: string;
  Component: ComponentType;
  shown?: (me: User) => boolean;
}

/** For sections about a password, which a guest does not have. */
export const onlyRegistered = (me: User): boolean => !me.guest;

export const settingsSections: SettingsSection[] = [
  { id: 'profile', title: 'Profile', Component: ProfileSection },
  { id: 'password', title: 'Password', Component: PasswordSection, shown: onlyRegistered },
  { id: 'sessions', title: 'Sessions', Component: SessionsSection },
  { id: 'sign-in', title: 'Sign-in', Component: SignInSection, shown: onlyRegistered },
  { id: 'notifications', title: 'Notifications', Component: NotificationsSection },
  { id: 'delete', title: 'Delete account', Component: DeleteAccountSection },
];

/** The sections this person sees, in order. */
export const sectionsFor = (me: User): SettingsSection[] =>
  settingsSections.filter((section) => section.shown?.(me) ?? true);
