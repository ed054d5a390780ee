import { makeStyles, tokens } from '@fluentui/react-components';
import type { PlanView } from '../../flows/kernel/records/plan-view.js';

const useStyles = makeStyles({
  figure: { margin: 0, maxWidth: '520px' },
  ring: { fill: 'none', stroke: tokens.colorNeutralStroke1, strokeWidth: '1.5' },
  child: { fill: tokens.colorBrandBackground2, stroke: tokens.colorBrandStroke1, strokeWidth: '2' },
  label: { fill: tokens.colorNeutralForeground1, fontSize: '13px', fontFamily: tokens.fontFamilyBase },
  relation: { fill: tokens.colorNeutralForeground2, fontSize: '11px', fontFamily: tokens.fontFamilyBase },
  dot: { fill: tokens.colorNeutralForeground1 },
  hidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    overflow: 'hidden',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
  },
});

const closenessLabels: Readonly<Record<number, string>> = {
  1: 'närmast',
  2: 'nära',
  3: 'finns runt mig',
};
const size = 520;
const centre = size / 2;
const ringRadius = (closeness: number) => 70 + (closeness - 1) * 70;

/**
 * "Vem finns till för mig" as the model draws it: the child in the middle, the closest people on
 * the inner ring. The drawing is for the eye; the list under it carries the same for a screen
 * reader, so the SVG is hidden from one.
 */
export function CloseToMe(props: { readonly plan: PlanView }) {
  const styles = useStyles();
  const people = props.plan.closeToMe;
  const byRing = [1, 2, 3].map((closeness) => people.filter((person) => person.closeness === closeness));
  return (
    <figure className={styles.figure}>
      <svg viewBox={`0 0 ${size} ${size}`} width="100%" role="presentation" aria-hidden="true">
        {[1, 2, 3].map((closeness) => (
          <circle key={closeness} className={styles.ring} cx={centre} cy={centre} r={ringRadius(closeness)} />
        ))}
        <circle className={styles.child} cx={centre} cy={centre} r={34} />
        <text className={styles.label} x={centre} y={centre + 5} textAnchor="middle">
          {props.plan.childInitials}
        </text>
        {byRing.flatMap((ring, ringIndex) =>
          ring.map((person, index) => {
            const angle = -Math.PI / 2 + (index * 2 * Math.PI) / ring.length + ringIndex * 0.45;
            const radius = ringRadius(ringIndex + 1);
            const x = centre + radius * Math.cos(angle);
            const y = centre + radius * Math.sin(angle);
            return (
              <g key={`${person.closeness}-${person.name}-${person.relation}`}>
                <circle className={styles.dot} cx={x} cy={y} r={4} />
                <text className={styles.label} x={x} y={y - 8} textAnchor="middle">
                  {person.name}
                </text>
                <text className={styles.relation} x={x} y={y + 16} textAnchor="middle">
                  {person.relation}
                </text>
              </g>
            );
          }),
        )}
      </svg>
      <figcaption className={styles.hidden}>
        <ul>
          {people.map((person) => (
            <li key={`${person.name}-${person.relation}`}>
              {person.name}, {person.relation}, {closenessLabels[person.closeness]}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
