import {
  Badge,
  Button,
  Field,
  Link,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Select,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { type FormEvent, useEffect, useState } from 'react';
import { findCompassArea } from '../../flows/kernel/compass.js';
import type { PlanView, PlanViewAction, PlanViewFollowUp } from '../../flows/kernel/records/plan-view.js';
import {
  type Answer,
  addFollowUpNote,
  downloadFamilyCopy,
  type FamilyLanguage,
  readFamilyLanguages,
  setActionStatus,
  type TokenSource,
  type WriteAnswer,
} from './api.js';
import { CloseToMe } from './close-to-me.js';
import { CompassOverTime } from './compass-over-time.js';
import type { DateFormat } from './format.js';

const useStyles = makeStyles({
  page: {
    maxWidth: '1100px',
    margin: '0 auto',
    padding: '16px 20px 48px',
    color: tokens.colorNeutralForeground1,
    fontFamily: tokens.fontFamilyBase,
    lineHeight: tokens.lineHeightBase300,
  },
  section: { marginTop: '28px' },
  facts: { display: 'flex', flexWrap: 'wrap', gap: '4px 24px', margin: '4px 0' },
  list: { listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: '12px' },
  card: {
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: '12px 16px',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  areaName: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: '8px',
    fontWeight: tokens.fontWeightSemibold,
  },
  swatch: {
    width: '14px',
    height: '14px',
    borderRadius: '50%',
    flexShrink: 0,
    border: `1px solid ${tokens.colorNeutralForeground1}`,
  },
  childWords: { fontSize: '18px', margin: '6px 0' },
  label: { fontWeight: tokens.fontWeightSemibold },
  buttons: { display: 'flex', gap: '8px', flexWrap: 'wrap', marginTop: '8px' },
  overdue: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorPaletteRedForeground1 },
  rule: {
    borderLeft: `4px solid ${tokens.colorBrandStroke1}`,
    padding: '8px 16px',
    margin: 0,
    fontSize: '17px',
  },
  form: { display: 'grid', gap: '8px', marginTop: '8px', maxWidth: '640px' },
  download: { display: 'flex', gap: '12px', alignItems: 'end', flexWrap: 'wrap' },
});

export type PlanMessage = { readonly intent: 'success' | 'warning' | 'error'; readonly text: string };

export interface PlanPageProps {
  readonly plan: PlanView;
  readonly token: TokenSource;
  readonly dates: DateFormat;
  /** A write's answer carries the plan as it is now: the page shows that one. */
  readonly onPlan: (plan: PlanView) => void;
}

function intentOf(answer: WriteAnswer): PlanMessage['intent'] {
  if (answer.outcome === 'saved') return 'success';
  return answer.outcome === 'stale' ? 'warning' : 'error';
}

export function PlanPage(props: PlanPageProps) {
  const styles = useStyles();
  const { plan, dates } = props;
  const [message, setMessage] = useState<PlanMessage | undefined>();

  const apply = (answer: Answer<WriteAnswer>): WriteAnswer | undefined => {
    if (answer.kind === 'failure') {
      setMessage({ intent: 'error', text: answer.message });
      return undefined;
    }
    props.onPlan(answer.value.plan);
    setMessage({ intent: intentOf(answer.value), text: answer.value.message });
    return answer.value;
  };

  return (
    <div className={styles.page}>
      <header>
        <h1>
          Barnets plan för {plan.childInitials} ({plan.reference})
        </h1>
        <p className={styles.facts}>
          <span>
            <span className={styles.label}>Status:</span> {plan.stateLabel}
            {plan.faststalldAt === undefined ? '' : `, fastställd ${dates.date(plan.faststalldAt)}`}
          </span>
          <span>
            <span className={styles.label}>Ansvarig för planen:</span> {plan.owner.name} (
            {plan.owner.roleLabel})
          </span>
        </p>
      </header>
      <main>
        <div aria-live="polite" role="status">
          {message === undefined ? null : (
            <MessageBar intent={message.intent}>
              <MessageBarBody>{message.text}</MessageBarBody>
            </MessageBar>
          )}
        </div>
        <GoldenRule plan={plan} />
        <Goals plan={plan} />
        <Actions
          plan={plan}
          dates={dates}
          onStatus={async (action, status) =>
            apply(await setActionStatus(plan.caseId, action.id, plan.etag, status, props.token))
          }
        />
        <section className={styles.section} aria-labelledby="vem-finns">
          <h2 id="vem-finns">Vem finns till för mig</h2>
          {plan.closeToMe.length === 0 ? <p>Ingen är inskriven ännu.</p> : <CloseToMe plan={plan} />}
        </section>
        <Meeting plan={plan} dates={dates} />
        <section className={styles.section} aria-labelledby="kompass">
          <h2 id="kompass">Behovskompass över tid</h2>
          <CompassOverTime plan={plan} dates={dates} />
        </section>
        <FollowUps
          plan={plan}
          dates={dates}
          onNote={async (followUp, text) =>
            apply(await addFollowUpNote(plan.caseId, followUp.followUpNo, plan.etag, text, props.token))
          }
        />
        <Team plan={plan} />
        <FamilyCopy plan={plan} token={props.token} />
      </main>
    </div>
  );
}

function GoldenRule(props: { readonly plan: PlanView }) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-labelledby="gyllene-regeln">
      <h2 id="gyllene-regeln">Den gyllene regeln</h2>
      <blockquote className={styles.rule}>{props.plan.goldenRule}</blockquote>
    </section>
  );
}

function AreaName(props: { readonly areaKey: PlanView['goals'][number]['area'] }) {
  const styles = useStyles();
  const area = findCompassArea(props.areaKey);
  return (
    <span className={styles.areaName}>
      <span className={styles.swatch} style={{ backgroundColor: area.colour }} aria-hidden="true" />
      {area.name}
    </span>
  );
}

function Goals(props: { readonly plan: PlanView }) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-labelledby="mina-mal">
      <h2 id="mina-mal">Mina mål</h2>
      {props.plan.goals.length === 0 ? <p>Inga mål är skrivna ännu.</p> : null}
      <ul className={styles.list}>
        {props.plan.goals.map((goal) => (
          <li key={goal.id} className={styles.card}>
            <AreaName areaKey={goal.area} />
            <p className={styles.childWords}>”{goal.minMal}”</p>
            <h3>Så här ska vi nå mina mål</h3>
            <p>
              <span className={styles.label}>Vad:</span> {goal.vad}
            </p>
            <p>
              <span className={styles.label}>Hur:</span> {goal.hur}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Actions(props: {
  readonly plan: PlanView;
  readonly dates: DateFormat;
  readonly onStatus: (action: PlanViewAction, status: 'genomford' | 'installd') => Promise<unknown>;
}) {
  const styles = useStyles();
  const [busy, setBusy] = useState<string | undefined>();
  const press = async (action: PlanViewAction, status: 'genomford' | 'installd') => {
    setBusy(action.id);
    try {
      await props.onStatus(action, status);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <section className={styles.section} aria-labelledby="insatser">
      <h2 id="insatser">Vem gör vad och när</h2>
      {props.plan.actions.length === 0 ? <p>Inga insatser är planerade ännu.</p> : null}
      <ul className={styles.list}>
        {props.plan.actions.map((action) => {
          const open = action.status === 'planerad' || action.status === 'pagar';
          const headingId = `insats-${action.id}`;
          return (
            <li key={action.id} className={styles.card} aria-labelledby={headingId}>
              <h3 id={headingId}>{action.what}</h3>
              <p className={styles.facts}>
                <span>
                  <span className={styles.label}>Utförs av:</span> {action.performer.name},{' '}
                  {action.performer.role}, {action.performer.organisation}
                </span>
                <span>
                  <span className={styles.label}>Ansvarig:</span> {action.ownerName}
                </span>
                <span>
                  <span className={styles.label}>Klart senast:</span> {props.dates.date(action.dueDate)}
                </span>
                <span>
                  <span className={styles.label}>Status:</span> {action.statusLabel}
                  {action.overdue ? (
                    <>
                      {' '}
                      <Badge appearance="outline" color="danger" className={styles.overdue}>
                        Försenad
                      </Badge>
                    </>
                  ) : null}
                </span>
              </p>
              {action.canChangeStatus && open ? (
                <div className={styles.buttons}>
                  <Button
                    appearance="primary"
                    disabled={busy !== undefined}
                    onClick={() => press(action, 'genomford')}
                    aria-describedby={headingId}
                  >
                    Markera som genomförd
                  </Button>
                  <Button
                    disabled={busy !== undefined}
                    onClick={() => press(action, 'installd')}
                    aria-describedby={headingId}
                  >
                    Ställ in
                  </Button>
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Meeting(props: { readonly plan: PlanView; readonly dates: DateFormat }) {
  const styles = useStyles();
  const meeting = props.plan.nextMeeting;
  return (
    <section className={styles.section} aria-labelledby="nasta-mote">
      <h2 id="nasta-mote">Nästa möte</h2>
      {meeting === undefined ? (
        <p>Inget möte bokat.</p>
      ) : (
        <p>
          {props.dates.dateTime(meeting.start)}–{props.dates.time(meeting.end)}
          {meeting.joinUrl === undefined ? null : (
            <>
              {' · '}
              <Link href={meeting.joinUrl} target="_blank" rel="noopener noreferrer">
                Anslut till mötet i Teams
              </Link>
            </>
          )}
        </p>
      )}
    </section>
  );
}

function FollowUps(props: {
  readonly plan: PlanView;
  readonly dates: DateFormat;
  readonly onNote: (followUp: PlanViewFollowUp, text: string) => Promise<WriteAnswer | undefined>;
}) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-labelledby="anteckningar">
      <h2 id="anteckningar">Anteckningar från uppföljningarna</h2>
      <ul className={styles.list}>
        {props.plan.compassOverTime.map((followUp) => (
          <li key={followUp.followUpNo} className={styles.card}>
            <h3>
              {followUp.label} ({props.dates.date(followUp.recordedAt)})
            </h3>
            {followUp.notes.length === 0 ? <p>Inga anteckningar.</p> : null}
            {followUp.notes.map((note) => (
              <p key={`${note.at}-${note.byName}`}>
                {note.text}{' '}
                <span>
                  – {note.byName}, {props.dates.date(note.at)}
                </span>
              </p>
            ))}
            {props.plan.may.addFollowUpNote ? <NoteForm followUp={followUp} onNote={props.onNote} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function NoteForm(props: {
  readonly followUp: PlanViewFollowUp;
  readonly onNote: (followUp: PlanViewFollowUp, text: string) => Promise<WriteAnswer | undefined>;
}) {
  const styles = useStyles();
  const [text, setText] = useState('');
  const [refusal, setRefusal] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const answer = await props.onNote(props.followUp, text);
      // A refused note keeps what was typed, with the reason under the field.
      if (answer?.outcome === 'refused') setRefusal(answer.message);
      else if (answer?.outcome === 'saved') {
        setRefusal(undefined);
        setText('');
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className={styles.form} onSubmit={submit}>
      <Field
        label={`Anteckning till ${props.followUp.label}`}
        validationState={refusal === undefined ? 'none' : 'error'}
        validationMessage={refusal}
      >
        <Textarea value={text} onChange={(_event, data) => setText(data.value)} resize="vertical" />
      </Field>
      <div>
        <Button type="submit" disabled={busy}>
          Lägg till anteckning
        </Button>
      </div>
    </form>
  );
}

function Team(props: { readonly plan: PlanView }) {
  const styles = useStyles();
  return (
    <section className={styles.section} aria-labelledby="teamet">
      <h2 id="teamet">Teamet</h2>
      <ul>
        {props.plan.team.map((member) => (
          <li key={`${member.name}-${member.roleLabel}-${member.organisationLabel}`}>
            {member.name}, {member.roleLabel}
            {member.title === undefined ? '' : `, ${member.title}`}, {member.organisationLabel}
            {member.outsideTeams ? ' (utanför Teams: nås per e-post och telefon)' : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

function FamilyCopy(props: { readonly plan: PlanView; readonly token: TokenSource }) {
  const styles = useStyles();
  // The server's catalogue decides the languages: a municipality adds one without a new tab.
  const [languages, setLanguages] = useState<readonly FamilyLanguage[] | undefined>();
  const [lang, setLang] = useState<string>('sv');
  const [failure, setFailure] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let current = true;
    void readFamilyLanguages().then((answer) => {
      if (!current) return;
      if (answer.kind === 'failure') {
        setLanguages([]);
        setFailure(answer.message);
        return;
      }
      setLanguages(answer.value);
      const first = answer.value[0];
      if (first !== undefined && !answer.value.some((language) => language.code === 'sv'))
        setLang(first.code);
    });
    return () => {
      current = false;
    };
  }, []);
  const download = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const answer = await downloadFamilyCopy(props.plan.caseId, lang, props.token);
      if (answer.kind === 'failure') {
        setFailure(answer.message);
        return;
      }
      // The file is fetched with the token, so it is offered from memory; the URL is let go at once.
      const url = URL.createObjectURL(answer.value);
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = `barnets-plan-${props.plan.reference}-${lang}.pdf`;
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className={styles.section} aria-labelledby="familjens-version">
      <h2 id="familjens-version">Familjens version</h2>
      <div className={styles.download}>
        <Field label="Språk">
          <Select value={lang} onChange={(_event, data) => setLang(data.value)}>
            {(languages ?? []).map((language) => (
              <option key={language.code} value={language.code}>
                {language.name}
              </option>
            ))}
          </Select>
        </Field>
        <Button onClick={download} disabled={busy || languages === undefined || languages.length === 0}>
          Ladda ner familjens version
        </Button>
      </div>
      {failure === undefined && languages?.length === 0 ? (
        <MessageBar intent="info">
          <MessageBarBody>Familjens version kan inte skapas på den här servern.</MessageBarBody>
        </MessageBar>
      ) : null}
      {failure === undefined ? null : (
        <MessageBar intent="error">
          <MessageBarBody>{failure}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
