/**
 * Where the tab runs: inside Teams (teams-js answers, the token comes from Teams SSO, the theme
 * and locale from Teams' context) or in an ordinary browser in local mode (the playground opens
 * the plan there; the theme comes from `?theme=`, the token from the local sign-in). Outside
 * Teams `app.initialize()` rejects or never settles, so it is given a short time only.
 */
import { app, authentication } from '@microsoft/teams-js';

export type TabTheme = 'light' | 'dark' | 'contrast';

export interface TeamsHost {
  readonly kind: 'teams';
  readonly theme: TabTheme;
  readonly locale: string;
  getToken(): Promise<string>;
  onThemeChange(handler: (theme: TabTheme) => void): void;
}

export interface BrowserHost {
  readonly kind: 'browser';
  readonly theme: TabTheme;
  readonly locale: string;
}

export type TabHost = TeamsHost | BrowserHost;

const initializeTimeoutMs = 2500;

export function toTabTheme(teamsTheme: string | undefined): TabTheme {
  if (teamsTheme === 'dark') return 'dark';
  if (teamsTheme === 'contrast') return 'contrast';
  return 'light';
}

function themeFromQuery(): TabTheme {
  const asked = new URLSearchParams(window.location.search).get('theme');
  return asked === 'dark' || asked === 'contrast' ? asked : 'light';
}

/** A top-level page with no opener and no native bridge cannot be a Teams tab: skip the wait. */
function mayBeInTeams(): boolean {
  return window.parent !== window || window.opener !== null || 'nativeInterface' in window;
}

export async function detectHost(): Promise<TabHost> {
  const browser: BrowserHost = { kind: 'browser', theme: themeFromQuery(), locale: 'sv-SE' };
  if (!mayBeInTeams()) return browser;
  const initialized = await Promise.race([
    app.initialize().then(
      () => true,
      () => false,
    ),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), initializeTimeoutMs)),
  ]);
  if (!initialized) return browser;
  const context = await app.getContext();
  return {
    kind: 'teams',
    theme: toTabTheme(context.app.theme),
    locale: context.app.locale || 'sv-SE',
    getToken: () => authentication.getAuthToken(),
    onThemeChange(handler) {
      app.registerOnThemeChangeHandler((theme) => handler(toTabTheme(theme)));
    },
  };
}
