import { useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { PlanView } from '../../flows/kernel/records/plan-view.js';
import { readPlan } from './api.js';
import { createDateFormat } from './format.js';
import { PlanPage } from './plan-page.js';
import { LocalSignIn, Notice, TabFrame, useSignIn, Waiting } from './shell.js';

type Loaded =
  | { readonly state: 'loading' }
  | { readonly state: 'shown'; readonly plan: PlanView }
  | { readonly state: 'refused'; readonly message: string };

function PlanTab() {
  const caseId = useMemo(() => new URLSearchParams(window.location.search).get('arende') ?? '', []);
  const { host, signed, choose, signOut } = useSignIn();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const dates = useMemo(() => createDateFormat(host?.locale ?? 'sv-SE'), [host?.locale]);
  // Read through a ref: a new sign-out function each render must not read the plan again.
  const signOutRef = useRef(signOut);
  signOutRef.current = signOut;

  useEffect(() => {
    if (signed.state !== 'ready' || caseId === '') return;
    let live = true;
    setLoaded({ state: 'loading' });
    void readPlan(caseId, signed.token).then((answer) => {
      if (!live) return;
      if (answer.kind === 'ok') setLoaded({ state: 'shown', plan: answer.value });
      else if (answer.status === 401) signOutRef.current(answer.message);
      else setLoaded({ state: 'refused', message: answer.message });
    });
    return () => {
      live = false;
    };
  }, [signed, caseId]);

  const body = (() => {
    if (caseId === '') {
      return <Notice heading="Barnets plan" message="Fliken vet inte vilket barns plan den ska visa." />;
    }
    if (signed.state === 'starting') return <Waiting label="Laddar Barnets plan …" />;
    if (signed.state === 'failed') return <Notice heading="Barnets plan" message={signed.message} />;
    if (signed.state === 'choose') {
      return (
        <LocalSignIn
          users={signed.users}
          onChoose={choose}
          {...(signed.message ? { message: signed.message } : {})}
        />
      );
    }
    if (loaded.state === 'loading') return <Waiting label="Laddar Barnets plan …" />;
    // Someone without a role sees the refusal and nothing else of the plan.
    if (loaded.state === 'refused') return <Notice heading="Barnets plan" message={loaded.message} />;
    return (
      <PlanPage
        plan={loaded.plan}
        token={signed.token}
        dates={dates}
        onPlan={(plan) => setLoaded({ state: 'shown', plan })}
      />
    );
  })();
  return <TabFrame theme={host?.theme}>{body}</TabFrame>;
}

const root = document.getElementById('root');
if (root !== null) createRoot(root).render(<PlanTab />);
