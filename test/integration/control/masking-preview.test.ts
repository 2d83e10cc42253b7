import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectorView, MaskPreviewView } from '../../../src-gateway/control/contract.js';
import { control } from '../../helpers/control-client.js';
import { startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.js';

const TEXT = 'Reach jane.doe@example.com or +44 20 7946 0958, card 4111 1111 1111 1111';

describe('masking detectors and preview through the control API', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'airlock-mask-control-'));
  let gateway: GatewayProcess;

  beforeAll(async () => {
    const policy = join(scratch, 'policy.yaml');
    writeFileSync(policy, 'rules: []\nmasking:\n  rules:\n    - disable: [phone]\n');
    gateway = await startGatewayProcess({ servers: { demo: { command: 'airlock', args: ['demo-server'] } }, policy });
  });
  afterAll(async () => {
    await gateway?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('lists every detector with a description and whether the policy uses it', async () => {
    const listed = await control<DetectorView[]>(gateway, 'GET', '/control/mask/detectors');
    expect(listed.status).toBe(200);
    const byName = new Map(listed.data.map((detector) => [detector.name, detector]));
    expect(byName.get('phone')).toMatchObject({ enabled: false, description: expect.stringMatching(/phone/i) });
    expect(byName.get('email')).toMatchObject({ enabled: true, description: expect.stringMatching(/email/i) });
    expect(listed.data.length).toBeGreaterThan(20);
  });

  it('previews with the policy\'s detectors, or with only the ones asked for', async () => {
    const all = await control<MaskPreviewView>(gateway, 'POST', '/control/mask/preview', { text: TEXT, server: 'demo' });
    expect(all.data.findings.map((f) => f.detector).sort()).toEqual(['card', 'email']);

    const subset = await control<MaskPreviewView>(gateway, 'POST', '/control/mask/preview', { text: TEXT, server: 'demo', detectors: ['phone'] });
    expect(subset.data.findings).toEqual([{ detector: 'phone', pointer: '', start: 30, end: 46, replacement: expect.any(String) }]);
    expect(TEXT.slice(30, 46)).toBe('+44 20 7946 0958');
    expect(subset.data.masked).toContain('jane.doe@example.com');
    expect(subset.data.masked).not.toContain('7946 0958');
  });

  it('refuses unknown detectors, naming them', async () => {
    const refused = await control(gateway, 'POST', '/control/mask/preview', { text: TEXT, detectors: ['email', 'passport'] });
    expect(refused).toMatchObject({ status: 400, ok: false, message: 'body.detectors: unknown detector "passport" (GET /control/mask/detectors lists them)' });
  });
});
