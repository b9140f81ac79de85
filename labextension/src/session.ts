import { JupyterFrontEnd } from '@jupyterlab/application';
import { ISessionContext, SessionContext } from '@jupyterlab/apputils';
import { Kernel } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { KernelWatch } from './kernelwatch';
import { SESSION_PATH, SESSION_TYPE } from './protocol.generated';

/**
 * One fixed session path: every browser tab shares one sidebar kernel.
 */
export { SESSION_PATH, SESSION_TYPE };
export const SESSION_NAME = 'JumpStart sidebar';

export namespace SidebarSession {
  /**
   * - `idle`: never started; `starting`: the first kernel is on its way;
   * - `ready`: a kernel process is reachable; draw (again) what it shows;
   * - `restarting`: the kernel process is being replaced: drop its views;
   * - `stopped`: the kernel was shut down; `error`: it could not start.
   */
  export type Phase =
    'idle' | 'starting' | 'ready' | 'restarting' | 'stopped' | 'error';

  export interface IState {
    phase: Phase;
    /**
     * What went wrong (`error`), else empty.
     */
    message: string;
  }

  export interface IOptions {
    app: JupyterFrontEnd;
    kernelName: () => string;
    trans: TranslationBundle;
    /**
     * Whether anything shows the kernel's widgets now (checks pause otherwise).
     */
    isWatched: () => boolean;
  }
}

/**
 * The sidebar kernel's session: start, restart, change kernel, end with the
 * page; noticing when the kernel process was replaced (restart, crash, restart
 * by another client) or stopped is `KernelWatch`'s part.
 *
 * Every change is reported through `stateChanged`; `ready` is emitted once per
 * kernel process, when it can run code.
 */
export class SidebarSession implements IDisposable {
  constructor(options: SidebarSession.IOptions) {
    this._options = options;
    this._t = options.trans;
    this._watch = new KernelWatch({
      kernel: () => this.kernel,
      isWatched: options.isWatched,
      onReady: () => this._setState('ready'),
      onRestarting: () => {
        if (this._state.phase !== 'restarting') {
          this._setState('restarting');
        }
      },
      onStopped: () => {
        this._disposeContext();
        if (!this._watch.answered && !this._rejoined) {
          // It stopped before it ever answered this page: the page joined a
          // session that was being ended (the server ends an unused sidebar
          // kernel after a grace period). Start a fresh one, once.
          this._rejoined = true;
          void this.start().catch(() => undefined);
          return;
        }
        this._setState('stopped');
      }
    });
  }

  get stateChanged(): ISignal<this, SidebarSession.IState> {
    return this._stateChanged;
  }

  get state(): SidebarSession.IState {
    return this._state;
  }

  get sessionContext(): ISessionContext | null {
    return this._ctx;
  }

  get kernel(): Kernel.IKernelConnection | null {
    return this._ctx?.session?.kernel ?? null;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /**
   * Start (or join) the sidebar kernel session; resolves once it can run code.
   */
  start(): Promise<void> {
    if (!this._starting) {
      this._starting = this._start().finally(() => {
        this._starting = null;
      });
    }
    return this._starting;
  }

  /**
   * Restart the kernel process; `ready` follows when the new one answers.
   */
  async restart(): Promise<void> {
    const ctx = this._ctx;
    if (!ctx?.session?.kernel) {
      return this.start();
    }
    this._watch.restarting();
    try {
      await ctx.restartKernel();
      this._watch.reloadSoon(0);
    } catch (reason) {
      this._watch.cancel();
      this._setState(
        'error',
        this._t.__('The JumpStart kernel could not restart: %1', String(reason))
      );
    }
  }

  /**
   * Switch to another kernel spec (the "Kernel name" setting changed).
   */
  async changeKernel(name: string): Promise<void> {
    if (this._ctx?.session) {
      await this._ctx.changeKernel({ name });
    }
  }

  /**
   * Check now whether the kernel was restarted elsewhere (a panel became visible).
   */
  checkNow(): void {
    this._watch.checkNow();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._watch.dispose();
    const ctx = this._ctx;
    this._ctx = null;
    if (ctx) {
      void ctx
        .shutdown()
        .catch(() => undefined)
        .then(() => ctx.dispose());
    }
    Signal.clearData(this);
  }

  private async _start(): Promise<void> {
    this._setState('starting');
    const kernelName = this._options.kernelName();
    const { kernelspecs, sessions } = this._options.app.serviceManager;
    try {
      await kernelspecs.ready;
      const specs = kernelspecs.specs?.kernelspecs ?? {};
      if (!specs[kernelName]) {
        const available = Object.keys(specs).join(', ') || '-';
        throw new Error(
          this._t.__(
            'Kernel "%1" is not installed (available: %2). Change "Kernel name" in Settings → JumpStart.',
            kernelName,
            available
          )
        );
      }
      this._disposeContext();
      const ctx = new SessionContext({
        sessionManager: sessions,
        specsManager: kernelspecs,
        path: SESSION_PATH,
        name: SESSION_NAME,
        type: SESSION_TYPE,
        kernelPreference: {
          name: kernelName,
          shouldStart: true,
          canStart: true,
          autoStartDefault: false
        }
      });
      this._ctx = ctx;
      this._watch.attach(ctx);
      await ctx.initialize();
      if (!ctx.session?.kernel) {
        throw new Error(this._t.__('No kernel could be started.'));
      }
    } catch (reason) {
      const message = this._t.__(
        'The JumpStart kernel could not start: %1',
        (reason as Error)?.message ?? String(reason)
      );
      this._setState('error', message);
      throw new Error(message);
    }
    this._watch.ready();
  }

  private _setState(phase: SidebarSession.Phase, message = ''): void {
    this._state = { phase, message };
    this._stateChanged.emit(this._state);
  }

  private _disposeContext(): void {
    const ctx = this._ctx;
    this._ctx = null;
    if (ctx && !ctx.isDisposed) {
      this._watch.detach(ctx);
      ctx.dispose();
    }
  }

  private _options: SidebarSession.IOptions;
  private _t: TranslationBundle;
  private _ctx: SessionContext | null = null;
  private _watch: KernelWatch;
  private _state: SidebarSession.IState = { phase: 'idle', message: '' };
  private _stateChanged = new Signal<this, SidebarSession.IState>(this);
  private _starting: Promise<void> | null = null;
  /**
   * Whether the page already replaced a kernel that stopped before answering.
   */
  private _rejoined = false;
  private _disposed = false;
}
