import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ReportPoint } from './api';

interface Props {
  title: string;
  /** Named series sharing the same periods. */
  series: { label: string; points: ReportPoint[]; color: string }[];
}

const HEIGHT = 220;

/**
 * A line chart of the report's series (uPlot, drawn on a canvas). The canvas is hidden from
 * assistive technology: the table beside it carries the same figures.
 */
export function ReportChart({ title, series }: Props) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const times = (series[0]?.points ?? []).map((point) => Date.parse(point.start) / 1000);
    const data: uPlot.AlignedData = [
      times,
      ...series.map((entry) => entry.points.map((point) => point.value)),
    ];
    const chart = new uPlot(
      {
        width: Math.max(element.clientWidth, 280),
        height: HEIGHT,
        legend: { show: true },
        scales: { x: { time: true } },
        axes: [{}, { size: 48 }],
        series: [
          {},
          ...series.map((entry) => ({
            label: entry.label,
            stroke: entry.color,
            width: 2,
            points: { show: true },
          })),
        ],
      },
      data,
      element,
    );
    // The chart follows its container's width (the page is responsive).
    const resize = new ResizeObserver(() => {
      chart.setSize({ width: Math.max(element.clientWidth, 280), height: HEIGHT });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [series]);

  return (
    <figure className="report-chart">
      <figcaption>{title}</figcaption>
      <div ref={container} aria-hidden="true" />
    </figure>
  );
}
