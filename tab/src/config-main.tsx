/**
 * The configurable tab's config page, for someone who adds the tab to a channel by hand: they
 * type the case reference (BB-…), the server answers with the case's opaque id if they have a
 * role in it, and the tab is saved pointing at the plan by that id, never by anything about the
 * child.
 */
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { pages } from '@microsoft/teams-js';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { findCaseByReference } from './api.js';
import { Notice, TabFrame, useSignIn, Waiting } from './shell.js';

const useStyles = makeStyles({
  page: { maxWidth: '560px', margin: '0 auto', padding: '24px 20px', fontFamily: tokens.fontFamilyBase },
  form: { display: 'grid', gap: '12px' },
});

const referencePattern = /^[A-Z]{1,5}-[0-9A-Z-]{1,30}$/;

function ConfigTab() {
  const styles = useStyles();
  const { host, signed } = useSignIn();
  const [reference, setReference] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [chosen, setChosen] = useState<{ readonly reference: string; readonly caseId: string } | undefined>();
  const chosenRef = useRef(chosen);
  chosenRef.current = chosen;

  useEffect(() => {
    if (signed.state !== 'ready' || signed.host.kind !== 'teams') return;
    pages.config.registerOnSaveHandler((saveEvent) => {
      const current = chosenRef.current;
      if (current === undefined) {
        saveEvent.notifyFailure('Ange ärendets referens först.');
        return;
      }
      const base = new URL('./index.html', window.location.href);
      base.search = new URLSearchParams({ arende: current.caseId }).toString();
      pages.config
        .setConfig({
          contentUrl: base.toString(),
          entityId: `barnets-plan-${current.caseId}`,
          suggestedDisplayName: 'Barnets plan',
        })
        .then(
          () => saveEvent.notifySuccess(),
          () => saveEvent.notifyFailure('Fliken kunde inte sparas.'),
        );
    });
  }, [signed]);

  if (signed.state === 'starting')
    return (
      <TabFrame theme={host?.theme}>
        <Waiting label="Laddar …" />
      </TabFrame>
    );
  if (signed.state !== 'ready' || signed.host.kind !== 'teams') {
    return (
      <TabFrame theme={host?.theme}>
        <Notice
          heading="Koppla fliken till Barnets plan"
          message="Den här sidan används när fliken läggs till i Teams."
        />
      </TabFrame>
    );
  }
  const token = signed.token;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const typed = reference.trim().toUpperCase();
    setChosen(undefined);
    pages.config.setValidityState(false);
    if (!referencePattern.test(typed)) {
      setProblem('Skriv referensen som den står på kortet, till exempel BB-2026-0042.');
      return;
    }
    const answer = await findCaseByReference(typed, token);
    if (answer.kind === 'failure') {
      setProblem(answer.message);
      return;
    }
    setProblem(undefined);
    setChosen({ reference: typed, caseId: answer.value });
    pages.config.setValidityState(true);
  };
  return (
    <TabFrame theme={signed.host.theme}>
      <main className={styles.page}>
        <h1>Koppla fliken till Barnets plan</h1>
        <form className={styles.form} onSubmit={submit}>
          <Field
            label="Ärendets referens (BB-…)"
            validationState={problem === undefined ? 'none' : 'error'}
            validationMessage={problem}
          >
            <Input
              value={reference}
              onChange={(_event, data) => setReference(data.value)}
              autoComplete="off"
            />
          </Field>
          <div>
            <Button type="submit" appearance="primary">
              Hitta planen
            </Button>
          </div>
        </form>
        <div role="status" aria-live="polite">
          {chosen === undefined ? null : (
            <MessageBar intent="success">
              <MessageBarBody>Fliken visar Barnets plan för {chosen.reference}. Välj Spara.</MessageBarBody>
            </MessageBar>
          )}
        </div>
      </main>
    </TabFrame>
  );
}

const root = document.getElementById('root');
if (root !== null) createRoot(root).render(<ConfigTab />);
