import { ISessionContext } from '@jupyterlab/apputils';
import { Kernel, KernelMessage, Session } from '@jupyterlab/services';
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';

/**
 * How often a watched panel checks that its kernel was not restarted elsewhere.
 */
const CHECK_INTERVAL_MS = 5000;

export namespace KernelWatch {
  export interface IOptions {
    /**
     * The session's kernel connection now (null without one).
     */
    kernel: () => Kernel.IKernelConnection | null;
    /**
     * Whether anything shows the kernel's widgets now (checks pause otherwise).
     */
    isWatched: () => boolean;
    /**
     * A kernel process can run code (once per process).
     */
    onReady: () => void;
    /**
     * The kernel process is being replaced: drop its views.
     */
    onRestarting: () => void;
    /**
     * The session ended (the kernel was shut down).
     */
    onStopped: () => void;
  }
}

/**
 * Which kernel process the sidebar session talks to, and noticing when it is
 * replaced (restart, crash, restart by another client) or stopped.
 *
 * Every kernel process has its own session id (the `session` of its message
 * headers): a message or a kernel_info reply from another one means the
 * kernel was restarted. A restart by another client sends no status to this
 * connection, so a `Poll` asks the kernel who it is every 5 s while something
 * shows it.
 */
export class KernelWatch implements IDisposable {
  constructor(options: KernelWatch.IOptions) {
    this._options = options;
    this._poll = new Poll({
      auto: true,
      factory: () => this._checkKernel(),
      frequency: { interval: CHECK_INTERVAL_MS, backoff: false },
      name: 'jumpstart-lab:kernel-check',
      standby: () =>
        this._kernelSession && this._options.isWatched() ? 'when-hidden' : true
    });
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /**
   * Whether a kernel ever answered this page (its kernel_info request).
   */
  get answered(): boolean {
    return this._answered;
  }

  /**
   * Follow the status, kernel, session, connection and messages of `ctx`.
   */
  attach(ctx: ISessionContext): void {
    ctx.statusChanged.connect(this._onStatusChanged, this);
    ctx.kernelChanged.connect(this._onKernelChanged, this);
    ctx.sessionChanged.connect(this._onSessionChanged, this);
    ctx.connectionStatusChanged.connect(this._onConnectionChanged, this);
    ctx.iopubMessage.connect(this._onIopubMessage, this);
  }

  detach(ctx: ISessionContext): void {
    ctx.statusChanged.disconnect(this._onStatusChanged, this);
    ctx.kernelChanged.disconnect(this._onKernelChanged, this);
    ctx.sessionChanged.disconnect(this._onSessionChanged, this);
    ctx.connectionStatusChanged.disconnect(this._onConnectionChanged, this);
    ctx.iopubMessage.disconnect(this._onIopubMessage, this);
  }

  /**
   * A (new) kernel answers: learn who it is, then `onReady`.
   */
  ready(): void {
    this._needsReload = false;
    this._becomeReady();
  }

  /**
   * The kernel process is going away (a restart was asked for).
   */
  restarting(): void {
    this._beginReload();
  }

  /**
   * Ready again after `delay` ms, unless something else happened meanwhile.
   */
  reloadSoon(delay = 250): void {
    this._scheduleReload(delay);
  }

  /**
   * The restart failed: no `onReady` follows.
   */
  cancel(): void {
    this._needsReload = false;
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
  }

  private _becomeReady(): void {
    const kernel = this._options.kernel();
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
    this._options.onReady();
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
   * A message from another kernel process: the kernel was restarted behind
   * our back (e.g. by another client).
   */
  private _onIopubMessage(
    _: ISessionContext,
    msg: KernelMessage.IMessage
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
    const kernel = this._options.kernel();
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
        kernel === this._options.kernel()
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
    this._options.onRestarting();
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
    this._options.onStopped();
  }

  private _options: KernelWatch.IOptions;
  private _poll: Poll;
  private _generation = 0;
  private _everReady = false;
  private _answered = false;
  private _needsReload = false;
  private _reloadTimer = 0;
  private _kernelSession = '';
  private _disposed = false;
}
