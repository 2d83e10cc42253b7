import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../logger.js';
import { compilePolicy, type CompiledPolicy } from './compile-policy.js';
import { DEFAULT_POLICY } from './default-policy.js';
import { loadPolicyFile } from './load-policy.js';
import { LOCAL_RULES_FILE, readLocalRules } from './local-rules.js';
import { compileMaskingPlan, NO_MASKING, type MaskingPlan } from './masking-plan.js';
import { mergeWithOrg } from './org-merge.js';
import type { Policy, Rule } from './policy-schema.js';

export interface PolicyStatus {
  /** The policy file, or null for the embedded default. */
  source: string | null;
  /** Why the last load failed, while the last good policy (or a refusal of everything) stays in force. */
  error?: string;
  loadedAt: number;
  ruleCount: number;
}

/** Where a rule in force comes from: the org's bundle, the local rules file, the policy file, or the embedded default policy. */
export type RuleOrigin = 'org' | 'local' | 'file' | 'default';

/** The org's policy in force (org mode): its rules and default, and what it requires of masking. */
export interface OrgPolicy {
  policy: Policy;
  mandatoryDetectors: readonly string[];
  /** Whether the org's own masking section applies (on top of the local one); without one, only the mandatory detectors do. */
  setsMasking: boolean;
  /** Set when the org refuses this Airlock every call (it is older than required); says why and what to do. */
  refusal?: string;
}

export interface SourcedRule {
  readonly rule: Rule;
  readonly source: RuleOrigin;
}

/**
 * The policy in force: the local rules first (`local-policy.json`: "always allow" answers and rules
 * added in the tray window), then the policy file (or the embedded default). Reloads when either
 * file changes. Each file is loaded on its own: an invalid new one keeps its last good version in
 * force and the error is reported, so a broken policy file does not stop a new local rule from
 * applying. Until both have loaded once, every call is refused (fail closed). In org mode the org's
 * policy decides each call too and the stricter verdict applies (see `mergeWithOrg`).
 */
export class PolicyStore {
  private compiled: CompiledPolicy;
  private maskingPlan: MaskingPlan = compileMaskingPlan({ enabled: true, rules: [], custom: [] });
  private status: PolicyStatus;
  /** The last good policy file, or the embedded default. */
  private base?: Policy;
  /** The last good local rules; until they have loaded once, nothing is allowed (they may hold denials). */
  private local?: Rule[];
  private org?: OrgPolicy;
  private fileError?: string;
  private sourced: readonly SourcedRule[] = [];
  private readonly listeners = new Set<(status: PolicyStatus) => void>();
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

  /** The rules in force with where each comes from, in the order they are evaluated; kept from the last load. */
  rules(): readonly SourcedRule[] {
    return this.sourced;
  }

  /** Calls `listener` with the status after every reload, failed ones included; returns the unsubscribe. */
  onReload(listener: (status: PolicyStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Puts the org's policy in force alongside the local one, or (undefined) takes it out. */
  setOrg(org: OrgPolicy | undefined): void {
    this.org = org;
    this.apply();
  }

  /** Loads both files again; returns the error if either is invalid. */
  reload(): string | undefined {
    const { file, dataDir, logger } = this.options;
    const errors: string[] = [];
    try {
      this.base = file ? loadPolicyFile(file) : DEFAULT_POLICY;
    } catch (error) {
      errors.push((error as Error).message);
    }
    try {
      this.local = readLocalRules(dataDir);
    } catch (error) {
      errors.push((error as Error).message);
    }
    const error = (this.fileError = errors.length ? errors.join('\n') : undefined);
    if (error && this.base && this.local) logger.error(`policy not fully reloaded, the last good version of each file stays in force:\n${error}`);
    else if (error) logger.error(`no valid policy: every call is refused until it is fixed:\n${error}`);
    this.apply();
    return error;
  }

  /** Compiles what is in force from the last good files and the org's policy, and tells the listeners. */
  private apply(): void {
    const { file, logger } = this.options;
    const { org, fileError: error } = this;
    if (this.base && this.local) {
      const baseSource: RuleOrigin = file ? 'file' : 'default';
      const combined: Policy = { ...this.base, rules: [...this.local, ...this.base.rules] };
      this.maskingPlan = compileMaskingPlan(combined.masking, org && { masking: org.setsMasking ? org.policy.masking : NO_MASKING, mandatory: org.mandatoryDetectors });
      const local = compilePolicy(combined);
      if (!org) this.compiled = local;
      else this.compiled = org.refusal ? refuse(org.refusal) : mergeWithOrg(compilePolicy(org.policy), local);
      this.sourced = [
        ...(org?.policy.rules ?? []).map((rule) => ({ rule, source: 'org' as const })),
        ...this.local.map((rule) => ({ rule, source: 'local' as const })),
        ...this.base.rules.map((rule) => ({ rule, source: baseSource })),
      ];
      this.status = { source: file ?? null, loadedAt: Date.now(), ruleCount: this.sourced.length, ...(error ? { error } : {}) };
    } else {
      this.compiled = refuseEverything(error ?? 'no policy');
      this.sourced = [];
      this.status = { ...this.status, ruleCount: 0, error };
    }
    for (const listener of this.listeners) {
      try {
        listener(this.status);
      } catch (failure) {
        logger.error('a policy reload listener failed', failure);
      }
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
  return refuse(`Airlock has no valid policy, so it refuses every call until the policy is fixed (${why.split('\n')[0]})`);
}

/** Refuses every call with this reason. */
function refuse(reason: string): CompiledPolicy {
  const verdict = { action: 'deny' as const, reason };
  return { policy: { rules: [], defaultAction: 'deny' } as unknown as Policy, evaluate: () => verdict, mayCall: () => false };
}
