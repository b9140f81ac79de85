import { JupyterFrontEnd } from '@jupyterlab/application';
import { ISessionContext, SessionContext } from '@jupyterlab/apputils';
import { Kernel, KernelMessage, Session } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

/**
 * One fixed session path: every browser tab shares one sidebar kernel.
 */
export const SESSION_PATH = '.jumpstart-lab/sidebar';
export const SESSION_TYPE = 'jumpstart-lab';
export const SESSION_NAME = 'JumpStart sidebar';

/**
 * How often a watched panel checks that its kernel was not restarted elsewhere.
 */
const CHECK_INTERVAL_MS = 5000;

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
 * The sidebar kernel's session: start, restart, and noticing when the kernel
 * process was replaced (restart, crash, restart by another client) or stopped.
 *
 * Every change is reported through `stateChanged`; `ready` is emitted once per
 * kernel process, when it can run code.
 */
export class SidebarSession implements IDisposable {
  constructor(options: SidebarSession.IOptions) {
    this._options = options;
    this._t = options.trans;
    this._poll = new Poll({
      auto: true,
      factory: () => this._checkKernel(),
      frequency: { interval: CHECK_INTERVAL_MS, backoff: false },
      name: 'jumpstart-lab:kernel-check',
      standby: () =>
        this._kernelSession && this._options.isWatched() ? 'when-hidden' : true
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
    this._beginReload();
    try {
      await ctx.restartKernel();
      this._scheduleReload(0);
    } catch (reason) {
      this._needsReload = false;
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
    if (this._kernelSession) {
      void this._poll.refresh();
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    window.clearTimeout(this._reloadTimer);
    this._poll.dispose();
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
      ctx.statusChanged.connect(this._onStatusChanged, this);
      ctx.kernelChanged.connect(this._onKernelChanged, this);
      ctx.sessionChanged.connect(this._onSessionChanged, this);
      ctx.connectionStatusChanged.connect(this._onConnectionChanged, this);
      ctx.iopubMessage.connect(this._onIopubMessage, this);
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
    this._needsReload = false;
    this._becomeReady();
  }

  /**
   * A kernel process can run code: learn who it is, tell the listeners.
   */
  private _becomeReady(): void {
    const kernel = this.kernel;
    if (!kernel || this._disposed) {
      return;
    }
    const generation = ++this._generation;
    this._everReady = true;
    this._kernelSession = '';
    // A reply to a request sent now comes from the current process.
    void kernel
      .requestKernelInfo()
      .then(reply => {
        if (generation === this._generation && !this._needsReload) {
          this._kernelSession = reply?.header.session ?? '';
          this._answered = true;
        }
      })
      .catch(() => undefined);
    this._setState('ready');
  }

  private _setState(phase: SidebarSession.Phase, message = ''): void {
    this._state = { phase, message };
    this._stateChanged.emit(this._state);
  }

  private _onStatusChanged(_: ISessionContext, status: Kernel.Status): void {
    switch (status) {
      case 'restarting':
      case 'autorestarting':
        this._beginReload();
        break;
      case 'dead':
        this._onStopped();
        break;
      case 'starting':
      case 'idle':
      case 'busy':
        this._scheduleReload();
        break;
      default:
        break;
    }
  }

  /**
   * Every kernel process has its own session id: a message from another one
   * means the kernel was restarted behind our back (e.g. by another client).
   */
  private _onIopubMessage(
    _: ISessionContext,
    msg: KernelMessage.IIOPubMessage
  ): void {
    const session = msg.header.session;
    if (this._kernelSession && session && session !== this._kernelSession) {
      this._beginReload();
      this._scheduleReload();
    }
  }

  /**
   * A restart by another client (e.g. the Restart button of another browser
   * tab, which shares this kernel) sends no status to this connection: ask
   * the kernel who it is (the poll runs while something shows the kernel).
   */
  private async _checkKernel(): Promise<void> {
    const kernel = this.kernel;
    if (!kernel || !this._kernelSession || this._needsReload) {
      return;
    }
    try {
      const reply = await kernel.requestKernelInfo();
      const session = reply?.header.session;
      if (
        session &&
        this._kernelSession &&
        session !== this._kernelSession &&
        kernel === this.kernel
      ) {
        this._beginReload();
        this._scheduleReload();
      }
    } catch {
      // The kernel is going away: the status handlers take over.
    }
  }

  private _onConnectionChanged(
    _: ISessionContext,
    status: Kernel.ConnectionStatus
  ): void {
    if (status === 'connected') {
      this._scheduleReload();
    }
  }

  private _onKernelChanged(
    _: ISessionContext,
    args: Session.ISessionConnection.IKernelChangedArgs
  ): void {
    // restartKernel() reports the same kernel again; only a new kernel matters here.
    if (this._everReady && args.newValue && args.newValue !== args.oldValue) {
      this._beginReload();
      this._scheduleReload();
    }
  }

  private _onSessionChanged(
    _: ISessionContext,
    args: { newValue: Session.ISessionConnection | null }
  ): void {
    if (!args.newValue && this._everReady) {
      this._onStopped();
    }
  }

  /**
   * The kernel process is going away: listeners drop its views.
   */
  private _beginReload(): void {
    if (!this._everReady) {
      return;
    }
    ++this._generation;
    this._needsReload = true;
    this._kernelSession = '';
    window.clearTimeout(this._reloadTimer);
    if (this._state.phase !== 'restarting') {
      this._setState('restarting');
    }
  }

  /**
   * Ready again once the restarted kernel is reachable. Requests sent before
   * the new kernel answers its kernel_info request are queued by the connection.
   */
  private _scheduleReload(delay = 250): void {
    if (!this._needsReload) {
      return;
    }
    window.clearTimeout(this._reloadTimer);
    this._reloadTimer = window.setTimeout(() => {
      if (this._needsReload && !this._disposed) {
        this._needsReload = false;
        this._becomeReady();
      }
    }, delay);
  }

  private _onStopped(): void {
    if (this._disposed) {
      return;
    }
    ++this._generation;
    window.clearTimeout(this._reloadTimer);
    this._needsReload = false;
    this._everReady = false;
    this._kernelSession = '';
    this._disposeContext();
    if (!this._answered && !this._rejoined) {
      // It stopped before it ever answered this page: the page joined a
      // session that was being ended (the server ends an unused sidebar
      // kernel after a grace period). Start a fresh one, once.
      this._rejoined = true;
      void this.start().catch(() => undefined);
      return;
    }
    this._setState('stopped');
  }

  private _disposeContext(): void {
    const ctx = this._ctx;
    this._ctx = null;
    if (ctx && !ctx.isDisposed) {
      ctx.statusChanged.disconnect(this._onStatusChanged, this);
      ctx.kernelChanged.disconnect(this._onKernelChanged, this);
      ctx.sessionChanged.disconnect(this._onSessionChanged, this);
      ctx.connectionStatusChanged.disconnect(this._onConnectionChanged, this);
      ctx.iopubMessage.disconnect(this._onIopubMessage, this);
      ctx.dispose();
    }
  }

  private _options: SidebarSession.IOptions;
  private _t: TranslationBundle;
  private _ctx: SessionContext | null = null;
  private _poll: Poll;
  private _state: SidebarSession.IState = { phase: 'idle', message: '' };
  private _stateChanged = new Signal<this, SidebarSession.IState>(this);
  private _starting: Promise<void> | null = null;
  /**
   * Whether a kernel of this page ever answered it, and whether the page
   * already replaced a kernel that stopped before answering.
   */
  private _answered = false;
  private _rejoined = false;
  private _generation = 0;
  private _everReady = false;
  private _needsReload = false;
  private _reloadTimer = 0;
  private _kernelSession = '';
  private _disposed = false;
}
