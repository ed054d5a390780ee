import { makeStyles, tokens } from '@fluentui/react-components';
import { type CompassAreaKey, compassAreas } from '../../flows/kernel/compass.js';
import { type CompassRater, compassRaterLabels } from '../../flows/kernel/records/plan.js';
import type { PlanView, PlanViewFollowUp } from '../../flows/kernel/records/plan-view.js';
import {
  findSkattningStep,
  type SkattningValue,
  skattningMax,
  skattningMin,
} from '../../flows/kernel/skattning.js';
import type { DateFormat } from './format.js';

const raters: readonly CompassRater[] = ['barnet', 'vardnadshavare', 'teamet'];
/** Each rater's line has its own dash and marker: the chart never tells them apart by colour. */
const raterStyle: Readonly<Record<CompassRater, { dash: string; marker: 'circle' | 'square' | 'triangle' }>> =
  {
    barnet: { dash: '', marker: 'circle' },
    vardnadshavare: { dash: '6 4', marker: 'square' },
    teamet: { dash: '2 3', marker: 'triangle' },
  };

const useStyles = makeStyles({
  grid: { display: 'grid', gap: '24px', gridTemplateColumns: 'repeat(auto-fill, minmax(320px, 1fr))' },
  area: {
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: '12px',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  heading: { display: 'flex', alignItems: 'center', gap: '8px', margin: '0 0 8px', fontSize: '16px' },
  swatch: {
    width: '14px',
    height: '14px',
    borderRadius: '50%',
    flexShrink: 0,
    border: `1px solid ${tokens.colorNeutralForeground1}`,
  },
  axis: { stroke: tokens.colorNeutralStroke1, strokeWidth: '1' },
  line: { fill: 'none', stroke: tokens.colorNeutralForeground1, strokeWidth: '2' },
  marker: { fill: tokens.colorNeutralForeground1 },
  tick: { fill: tokens.colorNeutralForeground2, fontSize: '10px', fontFamily: tokens.fontFamilyBase },
  legend: { display: 'flex', gap: '12px', flexWrap: 'wrap', fontSize: '12px', margin: '4px 0 8px' },
  legendItem: { display: 'inline-flex', alignItems: 'center', gap: '4px' },
  table: {
    borderCollapse: 'collapse',
    width: '100%',
    fontSize: '13px',
    '& th, & td': {
      borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
      padding: '2px 6px',
      textAlign: 'left',
    },
  },
  caption: { textAlign: 'left', fontWeight: tokens.fontWeightSemibold, padding: '4px 0' },
});

function ratingOf(
  followUp: PlanViewFollowUp,
  rater: CompassRater,
  area: CompassAreaKey,
): SkattningValue | undefined {
  return followUp.ratings.find((rating) => rating.rater === rater && rating.area === area)?.rating;
}

function showRating(value: SkattningValue | undefined): string {
  if (value === undefined) return '–';
  return value === 'vetEj' ? findSkattningStep(value).label : String(value);
}

/** The change from the first numeric rating to the last, as "+2", "−1", "0" or "–" when unknown. */
export function describeChange(values: readonly (SkattningValue | undefined)[]): string {
  const numbers = values.filter((value): value is number => typeof value === 'number');
  const first = numbers[0];
  const last = numbers[numbers.length - 1];
  if (first === undefined || last === undefined || numbers.length < 2) return '–';
  const change = last - first;
  if (change > 0) return `+${change}`;
  if (change < 0) return `−${Math.abs(change)}`;
  return '0';
}

function Marker(props: {
  readonly kind: 'circle' | 'square' | 'triangle';
  readonly x: number;
  readonly y: number;
  readonly className: string;
}) {
  const { x, y, className } = props;
  if (props.kind === 'circle') return <circle className={className} cx={x} cy={y} r={3.5} />;
  if (props.kind === 'square')
    return <rect className={className} x={x - 3.5} y={y - 3.5} width={7} height={7} />;
  return (
    <polygon className={className} points={`${x},${y - 4.5} ${x + 4.5},${y + 3.5} ${x - 4.5},${y + 3.5}`} />
  );
}

const width = 300;
const height = 140;
const pad = { left: 24, right: 10, top: 10, bottom: 22 };

/**
 * Behovskompassen over time, one small chart per area with the child's, the guardian's and the
 * team's ratings at the start and each follow-up, and under it a table of the same numbers with
 * the change since the start. The shared SVG chart functions (cards/charts) were not yet there
 * when this was written; this component is the one place to swap in their drawing.
 */
export function CompassOverTime(props: { readonly plan: PlanView; readonly dates: DateFormat }) {
  const styles = useStyles();
  const followUps = props.plan.compassOverTime;
  if (followUps.length === 0) return <p>Inga skattningar är gjorda ännu.</p>;
  const stepX = followUps.length > 1 ? (width - pad.left - pad.right) / (followUps.length - 1) : 0;
  const xOf = (index: number) => pad.left + index * stepX;
  const yOf = (value: number) =>
    pad.top + ((skattningMax - value) / (skattningMax - skattningMin)) * (height - pad.top - pad.bottom);
  return (
    <div className={styles.grid}>
      {compassAreas.map((area) => {
        const headingId = `kompass-${area.key}`;
        return (
          <section key={area.key} className={styles.area} aria-labelledby={headingId}>
            <h3 id={headingId} className={styles.heading}>
              <span className={styles.swatch} style={{ backgroundColor: area.colour }} aria-hidden="true" />
              {area.name}
            </h3>
            <svg viewBox={`0 0 ${width} ${height}`} width="100%" aria-hidden="true" role="presentation">
              {[1, 2, 3, 4, 5].map((value) => (
                <g key={value}>
                  <line
                    className={styles.axis}
                    x1={pad.left}
                    x2={width - pad.right}
                    y1={yOf(value)}
                    y2={yOf(value)}
                  />
                  <text className={styles.tick} x={4} y={yOf(value) + 3}>
                    {value}
                  </text>
                </g>
              ))}
              {followUps.map((followUp, index) => (
                <text
                  key={followUp.followUpNo}
                  className={styles.tick}
                  x={xOf(index)}
                  y={height - 6}
                  textAnchor="middle"
                >
                  {followUp.kind === 'start' ? 'Start' : followUp.followUpNo}
                </text>
              ))}
              {raters.map((rater) => {
                const points = followUps
                  .map((followUp, index) => ({ index, value: ratingOf(followUp, rater, area.key) }))
                  .filter(
                    (point): point is { index: number; value: number } => typeof point.value === 'number',
                  );
                const style = raterStyle[rater];
                return (
                  <g key={rater}>
                    <polyline
                      className={styles.line}
                      strokeDasharray={style.dash || undefined}
                      points={points.map((point) => `${xOf(point.index)},${yOf(point.value)}`).join(' ')}
                    />
                    {points.map((point) => (
                      <Marker
                        key={point.index}
                        kind={style.marker}
                        className={styles.marker}
                        x={xOf(point.index)}
                        y={yOf(point.value)}
                      />
                    ))}
                  </g>
                );
              })}
            </svg>
            <div className={styles.legend} aria-hidden="true">
              {raters.map((rater) => (
                <span key={rater} className={styles.legendItem}>
                  <svg width="26" height="10" role="presentation">
                    <line
                      className={styles.line}
                      x1={0}
                      x2={26}
                      y1={5}
                      y2={5}
                      strokeDasharray={raterStyle[rater].dash || undefined}
                    />
                    <Marker kind={raterStyle[rater].marker} className={styles.marker} x={13} y={5} />
                  </svg>
                  {compassRaterLabels[rater]}
                </span>
              ))}
            </div>
            <table className={styles.table}>
              <caption className={styles.caption}>{area.name}: skattningar 1–5 (5 är bäst)</caption>
              <thead>
                <tr>
                  <th scope="col">Tillfälle</th>
                  {raters.map((rater) => (
                    <th key={rater} scope="col">
                      {compassRaterLabels[rater]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {followUps.map((followUp) => (
                  <tr key={followUp.followUpNo}>
                    <th scope="row">
                      {followUp.label} ({props.dates.date(followUp.recordedAt)})
                    </th>
                    {raters.map((rater) => (
                      <td key={rater}>{showRating(ratingOf(followUp, rater, area.key))}</td>
                    ))}
                  </tr>
                ))}
                <tr>
                  <th scope="row">Förändring sedan start</th>
                  {raters.map((rater) => (
                    <td key={rater}>
                      {describeChange(followUps.map((followUp) => ratingOf(followUp, rater, area.key)))}
                    </td>
                  ))}
                </tr>
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}
