import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { Title, Widget } from '@lumino/widgets';

/**
 * The server's list of deployments; its `running` counts the endpoints
 * Creating, Updating or InService (jumpstart_lab/server/handlers/deployments.py).
 */
export const DEPLOYMENTS_PATH = 'jumpstart-lab/api/deployments';

/**
 * How often the badge counts again while the page is visible.
 */
export const BADGE_INTERVAL_MS = 30_000;

/**
 * The title dataset key of the count: `data-jumpstart-running` on the
 * left-bar tab, drawn as a bubble by style/base.css.
 */
export const BADGE_KEY = 'jumpstart-running';

/**
 * The number of running endpoints in a `GET deployments` answer, or null if
 * the answer does not say.
 */
export function runningCount(body: unknown): number | null {
  if (typeof body !== 'object' || body === null) {
    return null;
  }
  const running = (body as Record<string, unknown>).running;
  return typeof running === 'number' &&
    Number.isInteger(running) &&
    running >= 0
    ? running
    : null;
}

/**
 * The text of the badge: the count, "99+" above 99; "" for none.
 */
export function badgeText(running: number): string {
  if (running <= 0) {
    return '';
  }
  return running > 99 ? '99+' : String(running);
}

export namespace DeploymentsBadge {
  export interface IOptions {
    /**
     * The sidebar widget's title (its left-bar tab shows the badge).
     */
    title: Title<Widget>;
    trans: TranslationBundle;
    /**
     * The Jupyter server to ask (the application's service manager settings).
     */
    serverSettings?: ServerConnection.ISettings;
    interval?: number;
  }
}

/**
 * The number of running endpoints on the JumpStart icon: counted every
 * `interval` while the page is visible, and at once on `refresh()` (when the
 * panel says it deployed or deleted something). No badge for none, nor when
 * the server cannot say (logged once per failing streak).
 */
export class DeploymentsBadge implements IDisposable {
  constructor(options: DeploymentsBadge.IOptions) {
    this._title = options.title;
    this._trans = options.trans;
    this._settings = options.serverSettings ?? ServerConnection.makeSettings();
    this._baseCaption = this._title.caption;
    const interval = options.interval ?? BADGE_INTERVAL_MS;
    this._poll = new Poll({
      auto: true,
      factory: () => this._count(),
      frequency: { interval, backoff: false, max: interval },
      name: 'jumpstart-lab:running-endpoints',
      standby: 'when-hidden'
    });
    document.addEventListener('visibilitychange', this._onVisibility);
  }

  /**
   * The running endpoints last counted (0 when unknown).
   */
  get running(): number {
    return this._running;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /**
   * Count again now.
   */
  refresh(): Promise<void> {
    return this._poll.isDisposed ? Promise.resolve() : this._poll.refresh();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    document.removeEventListener('visibilitychange', this._onVisibility);
    this._poll.dispose();
    this._show(0);
  }

  private _onVisibility = (): void => {
    if (document.visibilityState === 'visible') {
      void this.refresh();
    }
  };

  /**
   * One count; never rejects (a failed request hides the badge).
   */
  private async _count(): Promise<void> {
    let running: number | null = null;
    let problem = '';
    try {
      const url = URLExt.join(this._settings.baseUrl, DEPLOYMENTS_PATH);
      const response = await ServerConnection.makeRequest(
        url,
        // 'no-store' would add a cache-busting query parameter, which the API refuses
        { method: 'GET', cache: 'no-cache' },
        this._settings
      );
      if (response.ok) {
        running = runningCount(await response.json());
        problem = running === null ? 'the answer has no running count' : '';
      } else {
        problem = `HTTP ${response.status}`;
      }
    } catch (reason) {
      problem = String(reason);
    }
    if (this.isDisposed) {
      return;
    }
    if (running === null) {
      if (!this._failing) {
        console.warn(
          `jumpstart-lab: could not count the running endpoints (${problem}); no badge until it can`
        );
      }
      this._failing = true;
      this._show(0);
      return;
    }
    this._failing = false;
    this._show(running);
  }

  private _show(running: number): void {
    this._running = running;
    const text = badgeText(running);
    const caption = text
      ? this._trans._n(
          'JumpStart (%1 endpoint running)',
          'JumpStart (%1 endpoints running)',
          running
        )
      : this._baseCaption;
    if (
      (this._title.dataset[BADGE_KEY] ?? '') === text &&
      this._title.caption === caption
    ) {
      return;
    }
    const dataset: Record<string, string> = { ...this._title.dataset };
    if (text) {
      dataset[BADGE_KEY] = text;
    } else {
      delete dataset[BADGE_KEY];
    }
    this._title.dataset = dataset;
    this._title.caption = caption;
  }

  private _title: Title<Widget>;
  private _trans: TranslationBundle;
  private _settings: ServerConnection.ISettings;
  private _baseCaption: string;
  private _poll: Poll;
  private _running = 0;
  private _failing = false;
}
