import {
  Button,
  Field,
  FluentProvider,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Select,
  Spinner,
  type Theme,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  tokens,
} from '@fluentui/react-components';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { type LocalUser, readSession, requestLocalToken, type TokenSource } from './api.js';
import { detectHost, type TabHost, type TabTheme } from './host.js';

const themes: Readonly<Record<TabTheme, Theme>> = {
  light: teamsLightTheme,
  dark: teamsDarkTheme,
  contrast: teamsHighContrastTheme,
};

const useStyles = makeStyles({
  provider: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
  narrow: { maxWidth: '560px', margin: '0 auto', padding: '24px 20px', fontFamily: tokens.fontFamilyBase },
  form: { display: 'grid', gap: '12px' },
});

export type Signed =
  | { readonly state: 'starting' }
  | { readonly state: 'failed'; readonly message: string }
  | { readonly state: 'choose'; readonly users: readonly LocalUser[]; readonly message?: string }
  | { readonly state: 'ready'; readonly host: TabHost; readonly token: TokenSource };

/**
 * Finds the host and the caller's token. In local mode the person picks a playground user; the
 * token lives in this closure only (not in storage, not in the address) and is asked for again
 * once it is about to run out.
 */
export function useSignIn(): {
  readonly host: TabHost | undefined;
  readonly signed: Signed;
  readonly choose: (userId: string) => Promise<void>;
  readonly signOut: (message: string) => void;
} {
  const [host, setHost] = useState<TabHost | undefined>();
  const [signed, setSigned] = useState<Signed>({ state: 'starting' });
  const [users, setUsers] = useState<readonly LocalUser[]>([]);

  useEffect(() => {
    let live = true;
    void (async () => {
      const found = await detectHost();
      if (!live) return;
      setHost(found);
      if (found.kind === 'teams') {
        found.onThemeChange((theme) =>
          setHost((current) => (current === undefined ? current : { ...current, theme })),
        );
        setSigned({ state: 'ready', host: found, token: found.getToken });
        return;
      }
      const session = await readSession();
      if (!live) return;
      if (session.kind === 'failure') setSigned({ state: 'failed', message: session.message });
      else if (session.value.mode === 'teams') {
        setSigned({ state: 'failed', message: 'Öppna Barnets plan i Teams: fliken i teamets kanal.' });
      } else {
        setUsers(session.value.users);
        setSigned({ state: 'choose', users: session.value.users });
      }
    })();
    return () => {
      live = false;
    };
  }, []);

  const choose = async (userId: string) => {
    const first = await requestLocalToken(userId);
    if (first.kind === 'failure') {
      setSigned({ state: 'choose', users, message: first.message });
      return;
    }
    let current = first.value;
    const token: TokenSource = async () => {
      // A minute's margin, so that a request does not arrive with a token that just ran out.
      if (Date.parse(current.expiresAt) - Date.now() < 60_000) {
        const renewed = await requestLocalToken(userId);
        if (renewed.kind === 'ok') current = renewed.value;
      }
      return current.token;
    };
    if (host !== undefined) setSigned({ state: 'ready', host, token });
  };

  const signOut = (message: string) => {
    if (host?.kind === 'browser') setSigned({ state: 'choose', users, message });
    else setSigned({ state: 'failed', message });
  };

  return { host, signed, choose, signOut };
}

export function TabFrame(props: { readonly theme: TabTheme | undefined; readonly children: ReactNode }) {
  const styles = useStyles();
  return (
    <FluentProvider theme={themes[props.theme ?? 'light']} className={styles.provider}>
      {props.children}
    </FluentProvider>
  );
}

export function Waiting(props: { readonly label: string }) {
  const styles = useStyles();
  return (
    <main className={styles.narrow}>
      <Spinner label={props.label} />
    </main>
  );
}

export function Notice(props: { readonly heading: string; readonly message: string }) {
  const styles = useStyles();
  return (
    <main className={styles.narrow}>
      <h1>{props.heading}</h1>
      <MessageBar intent="warning">
        <MessageBarBody>{props.message}</MessageBarBody>
      </MessageBar>
    </main>
  );
}

/** Local mode only: who the person is playing, since there is no Teams sign-in on this machine. */
export function LocalSignIn(props: {
  readonly users: readonly LocalUser[];
  readonly message?: string;
  readonly onChoose: (userId: string) => Promise<void>;
}) {
  const styles = useStyles();
  const [userId, setUserId] = useState(props.users[0]?.userId ?? '');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await props.onChoose(userId);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className={styles.narrow}>
      <h1>Logga in lokalt</h1>
      <p>Fliken körs utanför Teams, på den här datorn. Välj vem du är i testmiljön.</p>
      {props.message === undefined ? null : (
        <MessageBar intent="warning">
          <MessageBarBody>{props.message}</MessageBarBody>
        </MessageBar>
      )}
      <form className={styles.form} onSubmit={submit}>
        <Field label="Användare">
          <Select value={userId} onChange={(_event, data) => setUserId(data.value)}>
            {props.users.map((user) => (
              <option key={user.userId} value={user.userId}>
                {user.name}
                {user.title === undefined ? '' : `, ${user.title}`}
              </option>
            ))}
          </Select>
        </Field>
        <div>
          <Button appearance="primary" type="submit" disabled={busy || userId === ''}>
            Logga in
          </Button>
        </div>
      </form>
    </main>
  );
}
