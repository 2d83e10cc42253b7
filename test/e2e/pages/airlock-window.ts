import type { Locator, Page } from 'playwright-core';

/**
 * Page objects for the tray window, one per screen, finding everything by role and label as a
 * person (or a screen reader) would. Tests speak in these terms, not in CSS selectors.
 */
export class AirlockWindow {
  constructor(readonly page: Page) {}

  /** The sidebar's link to a screen. */
  async open(screen: 'Activity' | 'Approvals' | 'History' | 'Policies' | 'Masking' | 'Connections' | 'Agents' | 'Org'): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Airlock' }).getByRole('link', { name: new RegExp(`^${screen}`) }).click();
  }

  heading(name: string | RegExp): Locator {
    return this.page.getByRole('heading', { level: 1, name });
  }

  get activity() {
    const page = this.page;
    return {
      /** The row of the live calls table for a tool. */
      callRow: (tool: string) => page.getByRole('row').filter({ hasText: tool }).first(),
    };
  }

  get approvals() {
    const page = this.page;
    return {
      card: (tool: string) => page.locator('article').filter({ hasText: tool }).first(),
      allowOnce: (card: Locator) => card.getByRole('button', { name: /^Allow once/ }).click(),
    };
  }

  get history() {
    const page = this.page;
    return {
      sessionLinks: () => page.getByRole('table').getByRole('link'),
      replay: () => page.getByRole('button', { name: 'Replay' }).click(),
      showAll: () => page.getByRole('button', { name: 'Show all messages' }).click(),
      replayControls: () => page.getByRole('group', { name: 'Replay' }),
      position: () => page.getByRole('group', { name: 'Replay' }).getByRole('status'),
      next: () => page.getByRole('group', { name: 'Replay' }).getByRole('button', { name: /^Next/ }).click(),
      exportButton: () => page.getByRole('button', { name: /Export/ }),
      /** A recorded request in the timeline, by its tool. */
      request: (tool: string) => page.getByRole('article', { name: new RegExp(`^Request .*${tool}`) }).first(),
    };
  }

  get policies() {
    const page = this.page;
    const form = page.getByRole('form', { name: 'Add a rule' });
    return {
      form,
      field: (label: string) => form.getByLabel(label, { exact: true }),
      add: () => form.getByRole('button', { name: 'Add rule' }).click(),
      ruleRow: (id: string) => page.getByRole('row').filter({ hasText: id }).first(),
    };
  }

  get masking() {
    const page = this.page;
    return {
      input: () => page.getByLabel('Text or JSON to mask'),
      output: () => page.getByLabel('Masked output'),
      findings: () => page.getByRole('table').filter({ hasText: 'email' }).first(),
    };
  }

  /** The banner shown on every page while protection is paused. */
  get protection() {
    const banner = this.page.getByRole('status', { name: 'Protection paused' });
    return {
      banner,
      resume: () => banner.getByRole('button', { name: 'Resume' }).click(),
    };
  }

  get agents() {
    const page = this.page;
    const card = (label: string) => page.getByRole('article', { name: label });
    return {
      card,
      connect: (label: string) => card(label).getByRole('button', { name: `Connect ${label}` }).click(),
      diff: (label: string) => card(label).getByLabel(`Diff of ${label}’s config`),
      confirm: (label: string) => card(label).getByRole('button', { name: 'Write the change' }).click(),
      importChoice: (label: string) => card(label).getByRole('checkbox', { name: /Also move the servers/ }),
      result: (label: string) => card(label).getByRole('status'),
      undo: async (label: string) => {
        await card(label).getByRole('button', { name: `Undo the last change to ${label}` }).click();
        await card(label).getByRole('button', { name: 'Yes, restore' }).click();
      },
    };
  }

  get connections() {
    const page = this.page;
    return {
      test: (server: string) => page.getByRole('button', { name: `Test ${server}` }).click(),
    };
  }
}
