import type { CommitmentProgress } from '../../domain/progress';
import type { PageContext } from './layout';

// What has been done of each commitment at a glance: one bar per commitment (done, cancelled, still
// to do), numbered as in the table below it. Drawn on the server as SVG; its title and description
// say the same in words for a screen reader, and the table is there for everyone.

const ROW = 28;
const LABEL = 40;
const BAR = 300;
const WIDTH = LABEL + BAR + 140;

export function ProgressChart({ context, progress }: { context: PageContext; progress: CommitmentProgress[] }) {
  const texts = context.t.public;
  const height = progress.length * ROW + 8;
  const words = progress.map(
    (p, i) => `${i + 1}. ${p.text}: ${p.reported ? texts.doneOf(p.done, p.planned, p.cancelled) : texts.noReportYet}`,
  );
  const share = (n: number, p: CommitmentProgress) => (p.planned === 0 ? 0 : (BAR * n) / p.planned);
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-labelledby="diagram-titel diagram-beskrivning"
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id="diagram-titel">{texts.chartTitle}</title>
        <desc id="diagram-beskrivning">{words.join('. ')}</desc>
        {progress.map((p, i) => {
          const y = 4 + i * ROW;
          const done = share(p.done, p);
          const cancelled = share(p.cancelled, p);
          return (
            <g key={p.key}>
              <text x={LABEL - 8} y={y + 16} text-anchor="end" font-size="13" fill="#1a1a1a">
                {i + 1}
              </text>
              <rect x={LABEL} y={y + 2} width={BAR} height={ROW - 10} fill="#fff" stroke="#4a4a4a" />
              {done > 0 && <rect x={LABEL} y={y + 2} width={done} height={ROW - 10} fill="#0b4f9c" />}
              {cancelled > 0 && <rect x={LABEL + done} y={y + 2} width={cancelled} height={ROW - 10} fill="#9a9a9a" />}
              <text x={LABEL + BAR + 8} y={y + 16} font-size="13" fill="#1a1a1a">
                {p.reported ? `${p.done} / ${p.planned}` : texts.noReportYet}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>{texts.chartCaption}</figcaption>
    </figure>
  );
}
