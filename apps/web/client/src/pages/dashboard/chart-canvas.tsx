import { useEffect, useRef } from 'react';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';

// Only the parts these charts draw (chart.js is tree-shaken to them).
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
}

interface ChartCanvasProps {
  kind: 'bar' | 'line';
  labels: string[];
  series: ChartSeries[];
  /** Read by screen readers; the same data is in a table beside the chart. */
  label: string;
  /** Unit after each value on the axis and in tooltips (e.g. %). */
  unit?: string;
  /** Bars run across (names on the left), for long lists on narrow screens. */
  horizontal?: boolean;
  onSelect?: (index: number) => void;
}

/** A chart.js chart in a canvas, drawn again when its data changes. */
export function ChartCanvas({ kind, labels, series, label, unit = '', horizontal = false, onSelect }: ChartCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const select = useRef(onSelect);
  select.current = onSelect;
  useEffect(() => {
    if (!canvas.current) return;
    const valueAxis = horizontal ? 'x' : 'y';
    const chart = new Chart(canvas.current, {
      type: kind,
      data: {
        labels,
        datasets: series.map((one) => ({
          label: one.label,
          data: one.values,
          backgroundColor: one.color,
          borderColor: one.color,
          spanGaps: true,
        })),
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          [valueAxis]: { beginAtZero: true, ticks: { callback: (value: string | number) => `${value}${unit}` } },
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${item.formattedValue}${unit}` } },
        },
        onClick: (_event, elements) => {
          if (elements.length > 0) select.current?.(elements[0].index);
        },
        onHover: (event, elements) => {
          const target = event.native?.target as HTMLElement | undefined;
          if (target) target.style.cursor = select.current && elements.length > 0 ? 'pointer' : 'default';
        },
      },
    });
    return () => chart.destroy();
  }, [kind, labels, series, unit, horizontal]);
  const height = horizontal ? Math.max(220, labels.length * 34 + 70) : 300;
  return (
    <div className="dashboard-chart" style={{ height }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
