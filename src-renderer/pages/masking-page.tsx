import { useEffect, useId, useMemo, useState } from 'react';
import type { MaskPreviewView } from '../../src-gateway/control/contract.js';
import { useApi } from '../api/api-context.js';
import { ErrorMessage } from '../components/error-message.js';
import { JsonViewer } from '../components/json-viewer.js';
import { useApiData } from '../components/use-api-data.js';
import { errorMessage } from '../components/api-error-text.js';
import { useDebounced } from '../components/use-debounced.js';
import { DetectorToggles } from './masking/detector-toggles.js';
import { FindingsTable } from './masking/findings-table.js';
import { HighlightedText } from './masking/highlighted-text.js';
import { maskedSpans } from './masking/masked-spans.js';
import { previewInput } from './masking/preview-input.js';
import { RecordedPicker, type PickedResponse } from './masking/recorded-picker.js';
import '../components/forms.css';
import './masking/masking.css';

interface Request {
  input: string;
  server: string;
  tool: string;
  off: ReadonlySet<string>;
}

/** The last preview answered (kept on screen while the next one runs) or why it failed. */
type Outcome = { state: 'idle' } | { state: 'done'; preview: MaskPreviewView; sent: ReturnType<typeof previewInput> } | { state: 'failed'; message: string };

/**
 * What masking would do to a text or JSON value for a server and tool, as you type: the input with
 * each finding marked, the masked output beside it, and the findings in a table. The same engine
 * and the same policy masking rules as for real calls.
 */
export function MaskingPage() {
  const api = useApi();
  const ids = useId();
  const detectors = useApiData(() => api.call('listDetectors'), [api]);
  const [request, setRequest] = useState<Request>({ input: '', server: '', tool: '', off: new Set() });
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });
  const [running, setRunning] = useState(false);
  const settled = useDebounced(request);

  useEffect(() => {
    if (!settled.input.trim()) {
      setOutcome({ state: 'idle' });
      setRunning(false);
      return;
    }
    let current = true;
    const sent = previewInput(settled.input);
    setRunning(true);
    const body = {
      ...sent,
      server: settled.server.trim(),
      ...(settled.tool.trim() ? { tool: settled.tool.trim() } : {}),
      // With every detector on, the policy's masking rules choose; a list narrows the preview to it.
      ...(settled.off.size > 0 ? { detectors: (detectors.data ?? []).map((d) => d.name).filter((name) => !settled.off.has(name)) } : {}),
    };
    api
      .call('previewMasking', { body })
      .then(
        (preview) => current && setOutcome({ state: 'done', preview, sent }),
        (failure: unknown) => current && setOutcome({ state: 'failed', message: errorMessage(failure) }),
      )
      .finally(() => current && setRunning(false));
    return () => {
      current = false;
    };
  }, [api, settled, detectors.data]);

  const pick = (picked: PickedResponse) =>
    setRequest((r) => ({ ...r, input: JSON.stringify(picked.body, null, 2), server: picked.server, tool: picked.tool ?? '' }));
  // What is shown lags what is typed by the debounce and the round trip; say so rather than flicker.
  const updating = running || (request !== settled && request.input.trim() !== '');
  const mode = useMemo(() => ('value' in previewInput(request.input) ? 'JSON' : 'text'), [request.input]);

  return (
    <div className="page masking-page">
      <h1>Masking preview</h1>
      <p className="muted">Paste what a server might return and see what Airlock would hide from the agent. Nothing is stored.</p>

      <div className="masking-setup">
        <div className="masking-input">
          <label htmlFor={`${ids}-input`}>Text or JSON to mask</label>
          <textarea
            id={`${ids}-input`}
            rows={10}
            spellCheck={false}
            value={request.input}
            placeholder={'Contact jane.doe@example.com, card 4242 4242 4242 4242\nor paste a JSON result'}
            onChange={(e) => setRequest((r) => ({ ...r, input: e.target.value }))}
          />
          {request.input.trim() && <span className="muted field-hint">Read as {mode}.</span>}
          <div className="target-fields">
            <label htmlFor={`${ids}-server`}>Server</label>
            <input id={`${ids}-server`} value={request.server} placeholder="any" onChange={(e) => setRequest((r) => ({ ...r, server: e.target.value }))} />
            <label htmlFor={`${ids}-tool`}>Tool</label>
            <input id={`${ids}-tool`} value={request.tool} placeholder="any" onChange={(e) => setRequest((r) => ({ ...r, tool: e.target.value }))} />
          </div>
          <p className="muted field-hint">The policy's masking rules can differ per server and tool.</p>
          <RecordedPicker onPick={pick} />
        </div>
        <ErrorMessage what="The detectors could not be listed" error={detectors.error} />
        {detectors.data && <DetectorToggles detectors={detectors.data} off={request.off} onChange={(off) => setRequest((r) => ({ ...r, off }))} />}
      </div>

      <section aria-labelledby={`${ids}-result`} className="masking-result" aria-busy={updating}>
        <div className="result-head">
          <h2 id={`${ids}-result`}>Result</h2>
          {updating && <span className="muted">updating…</span>}
        </div>
        {outcome.state === 'idle' && <p className="muted">Type or paste something above, or pick a recorded response, to see what would be masked.</p>}
        {outcome.state === 'failed' && (
          <div role="alert" className="banner banner-error">
            Could not preview: {outcome.message}
          </div>
        )}
        {outcome.state === 'done' && <PreviewResult preview={outcome.preview} sent={outcome.sent} />}
      </section>
    </div>
  );
}

function PreviewResult({ preview, sent }: { preview: MaskPreviewView; sent: ReturnType<typeof previewInput> }) {
  const findings = preview.findings;
  return (
    <>
      {preview.maskingOff && (
        <p role="status" className="banner banner-warning">
          The policy turns masking off for this server and tool: the agent would get this unchanged.
        </p>
      )}
      <p role="status">
        {findings.length === 0 ? 'Nothing found to mask.' : `${findings.length} ${findings.length === 1 ? 'value' : 'values'} masked.`}
      </p>
      <div className="side-by-side">
        <div>
          <h3>Input, findings marked</h3>
          {'text' in sent ? (
            <HighlightedText text={sent.text} findings={findings} label="Input with findings marked" />
          ) : (
            <JsonViewer value={sent.value} findings={findings} label="Input with findings marked" />
          )}
        </div>
        <div>
          <h3>What the agent gets</h3>
          {typeof preview.masked === 'string' ? (
            <HighlightedText text={preview.masked} findings={maskedSpans(preview.masked, findings)} label="Masked output" replaced />
          ) : (
            <JsonViewer value={preview.masked} label="Masked output" />
          )}
        </div>
      </div>
      {findings.length > 0 && <FindingsTable findings={findings} />}
    </>
  );
}
