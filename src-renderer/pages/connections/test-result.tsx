import type { ConnectionTestView } from '../../../src-gateway/control/contract.js';
import { formatDateTime, formatDuration } from '../../components/format.js';

const PIN_WORDS: Record<ConnectionTestView['tools'][number]['pin'], string> = {
  pinned: 'Pinned',
  held: 'Held for review',
  rejected: 'Rejected',
  new: 'Not pinned yet',
};

/** What the last test found: the server's tools with their pin state, or why it failed. */
export function TestResult({ server, test }: { server: string; test: ConnectionTestView }) {
  const when = `${formatDateTime(test.at)}, ${formatDuration(test.durationMs)}`;
  if (!test.ok) {
    return (
      <div role="alert" className="banner banner-error">
        <strong>The test failed</strong> ({when}): {test.error ?? 'no reason given'}
      </div>
    );
  }
  return (
    <div className="test-result">
      <p className="muted">
        Tested {when}
        {test.serverInfo && (
          <>
            : {test.serverInfo.name} {test.serverInfo.version}
          </>
        )}
        .
      </p>
      {test.tools.length === 0 ? (
        <p>The server offers no tools.</p>
      ) : (
        <div className="table-scroll">
          <table className="tools-table">
            <caption className="visually-hidden">Tools of {server}</caption>
            <thead>
              <tr>
                <th scope="col">Tool</th>
                <th scope="col">Pin</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {test.tools.map((tool) => (
                <tr key={tool.name}>
                  <td>
                    <code>{tool.name}</code>
                  </td>
                  <td>
                    <span className={`pin-state pin-${tool.pin}`}>{PIN_WORDS[tool.pin]}</span>
                  </td>
                  <td>{tool.description ?? <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
