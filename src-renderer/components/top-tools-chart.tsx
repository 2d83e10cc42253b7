import type { StatsView } from '../../src-gateway/control/contract.js';
import { ChartFigure } from './chart-figure.js';
import { HorizontalBars } from './horizontal-bars.js';

/** The most called tools in the stats window, by server. */
export function TopToolsChart({ tools }: { tools: StatsView['topTools'] }) {
  const top = tools.slice(0, 8);
  const summary =
    top.length === 0 ? 'No tool calls yet.' : `Most called: ${top.slice(0, 3).map((tool) => `${tool.tool} on ${tool.server} (${tool.count})`).join(', ')}.`;
  return (
    <ChartFigure
      title="Top tools"
      summary={summary}
      chart={<HorizontalBars bars={top.map((tool) => ({ key: `${tool.server}/${tool.tool}`, label: `${tool.server} · ${tool.tool}`, value: tool.count }))} />}
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">Server</th>
              <th scope="col">Tool</th>
              <th scope="col">Calls</th>
            </tr>
          </thead>
          <tbody>
            {top.map((tool) => (
              <tr key={`${tool.server}/${tool.tool}`}>
                <td>{tool.server}</td>
                <td>{tool.tool}</td>
                <td>{tool.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
