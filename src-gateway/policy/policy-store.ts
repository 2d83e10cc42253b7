import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../logger.js';
import { compilePolicy, type CompiledPolicy } from './compile-policy.js';
import { DEFAULT_POLICY } from './default-policy.js';
import { loadPolicyFile } from './load-policy.js';
import { LOCAL_RULES_FILE, readLocalRules } from './local-rules.js';
import { compileMaskingPlan, type MaskingPlan } from './masking-plan.js';
import type { Policy } from './policy-schema.js';

export interface PolicyStatus {
  /** The policy file, or null for the embedded default. */
  source: string | null;
  /** Why the last load failed, while the last good policy (or a refusal of everything) stays in force. */
  error?: string;
  loadedAt: number;
  ruleCount: number;
}

/**
 * The policy in force: the person's "always allow" rules first, then the policy file (or the
 * embedded default). Reloads when either file changes; an invalid new file keeps the last good
 * policy and reports why. With no valid policy at all, every call is refused (fail closed).
 */
export class PolicyStore {
  private compiled: CompiledPolicy;
  private maskingPlan: MaskingPlan = compileMaskingPlan({ enabled: true, rules: [], custom: [] });
  private status: PolicyStatus;
  private lastGood?: Policy;
  private readonly watchers: FSWatcher[] = [];
  private reloadTimer?: NodeJS.Timeout;

  constructor(private readonly options: { file?: string; dataDir: string; logger: Logger; watch?: boolean }) {
    this.compiled = refuseEverything('no policy loaded yet');
    this.status = { source: options.file ?? null, loadedAt: Date.now(), ruleCount: 0 };
    this.reload();
    if (options.watch) this.watchFiles();
  }

  current(): CompiledPolicy {
    return this.compiled;
  }

  masking(): MaskingPlan {
    return this.maskingPlan;
  }

  describe(): PolicyStatus {
    return this.status;
  }

  /** Loads both files again; returns the error if the new policy is invalid. */
  reload(): string | undefined {
    const { file, dataDir, logger } = this.options;
    try {
      const base = file ? loadPolicyFile(file) : DEFAULT_POLICY;
      const local = readLocalRules(dataDir);
      const combined: Policy = { ...base, rules: [...local, ...base.rules] };
      const maskingPlan = compileMaskingPlan(combined.masking);
      this.compiled = compilePolicy(combined);
      this.maskingPlan = maskingPlan;
      this.lastGood = combined;
      this.status = { source: file ?? null, loadedAt: Date.now(), ruleCount: combined.rules.length };
      return undefined;
    } catch (error) {
      const message = (error as Error).message;
      this.status = { ...this.status, error: message };
      if (this.lastGood) {
        logger.error(`policy not reloaded, the last good one stays in force:\n${message}`);
      } else {
        logger.error(`no valid policy: every call is refused until it is fixed:\n${message}`);
        this.compiled = refuseEverything(message);
      }
      return message;
    }
  }

  close(): void {
    for (const watcher of this.watchers) watcher.close();
    clearTimeout(this.reloadTimer);
  }

  /** Watches the folders, not the files: editors save by writing a new file and renaming it. */
  private watchFiles(): void {
    const targets = [join(this.options.dataDir, LOCAL_RULES_FILE), ...(this.options.file ? [this.options.file] : [])];
    for (const target of targets) {
      const watcher = watch(dirname(target), (_event, name) => {
        if (name !== basename(target)) return;
        clearTimeout(this.reloadTimer);
        this.reloadTimer = setTimeout(() => {
          if (this.reload() === undefined) this.options.logger.info(`policy reloaded (${this.status.ruleCount} rules)`);
        }, 100);
      });
      watcher.unref();
      this.watchers.push(watcher);
    }
  }
}

/** The fail-closed policy: refuses every call, saying why and what to fix. */
function refuseEverything(why: string): CompiledPolicy {
  const verdict = { action: 'deny' as const, reason: `Airlock has no valid policy, so it refuses every call until the policy is fixed (${why.split('\n')[0]})` };
  return { policy: { rules: [], defaultAction: 'deny' } as unknown as Policy, evaluate: () => verdict, mayCall: () => false };
}
