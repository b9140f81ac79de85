import { OutputArea, OutputAreaModel } from '@jupyterlab/outputarea';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import {
  SidePanel,
  ToolbarButton,
  refreshIcon
} from '@jupyterlab/ui-components';
import { PromiseDelegate } from '@lumino/coreutils';
import { Message } from '@lumino/messaging';
import { ISignal, Signal } from '@lumino/signaling';
import { Panel, Widget } from '@lumino/widgets';

import { bootstrapCode, ISidebarSettings } from './bootstrap';
import { claimClientId } from './clientid';
import { confirmRestart } from './dialogs';
import { jumpstartIcon, restartIcon } from './icon';
import { SidebarNavigation } from './navigation';
import { SidebarSession } from './session';
import { IPanelStatus, StatusBox } from './status';
import { KernelWidgets } from './widgets';

export const SIDEBAR_ID = 'jumpstart-lab-sidebar';

export namespace JumpStartSidebar {
  export interface IOptions {
    session: SidebarSession;
    widgets: KernelWidgets;
    settings: () => ISidebarSettings;
    trans: TranslationBundle;
    translator?: ITranslator;
    /**
     * JupyterLab's display language (e.g. "en", "de_DE"); "" for the default.
     */
    locale?: string;
    /**
     * Whether model pages, endpoints and admin open in main-area tabs.
     */
    mainArea: boolean;
  }
}

/**
 * Left-sidebar panel hosting the kernel-side hub browser.
 *
 * The kernel session starts the first time the panel is shown (or in the
 * background, see the preloadKernel setting). Restarts and crashes redraw the
 * panel; a dead kernel shows a Start button. Main-area views follow the
 * panel's `status`: they draw once the hub browser is displayed.
 */
export class JumpStartSidebar extends SidePanel {
  constructor(options: JumpStartSidebar.IOptions) {
    super({ content: new Panel(), translator: options.translator });
    this._session = options.session;
    this._widgets = options.widgets;
    this._settings = options.settings;
    this._t = options.trans;
    this._locale = options.locale ?? '';
    this._mainArea = options.mainArea;
    this.id = SIDEBAR_ID;
    this.addClass('jp-JumpStartSidebar');
    this.title.icon = jumpstartIcon;
    this.title.caption = this._t.__('JumpStart');

    const heading = new Widget({ node: document.createElement('h2') });
    heading.node.textContent = this._t.__('JumpStart');
    this.header.addWidget(heading);

    // Icon buttons only (their tooltips name them): with the navigation they fit one line in 280 px.
    this.toolbar.addClass('jp-JumpStartSidebar-toolbar');
    this.toolbar.addItem(
      'refresh',
      new ToolbarButton({
        icon: refreshIcon,
        tooltip: this._t.__('Refresh the hub browser'),
        onClick: () => void this.refresh()
      })
    );
    this.toolbar.addItem(
      'restart',
      new ToolbarButton({
        icon: restartIcon,
        tooltip: this._t.__('Restart the JumpStart kernel'),
        onClick: () => void this.restart()
      })
    );

    this._statusBox = new StatusBox(
      this._t.__('Start'),
      this._t.__('Start the JumpStart kernel')
    );
    this._statusBox.startRequested.connect(() => void this.start());
    this.addWidget(this._statusBox);

    this._body = new Panel();
    this._body.addClass('jp-JumpStartSidebar-body');
    this.addWidget(this._body);
    this.navigation = new SidebarNavigation(
      this.toolbar,
      this.node,
      () => [this.content.node, this._body.node],
      this._t
    );

    this._session.stateChanged.connect(this._onSessionState, this);
  }

  /**
   * Back, Hubs, Endpoints and Admin in the toolbar (the panel's bridge drives it).
   */
  readonly navigation: SidebarNavigation;

  get session(): SidebarSession {
    return this._session;
  }

  get kernelWidgets(): KernelWidgets {
    return this._widgets;
  }

  get status(): IPanelStatus {
    return this._status;
  }

  /**
   * Emitted whenever `status` changes; `ready` with a new generation after
   * each display of the hub browser (views redraw then).
   */
  get statusChanged(): ISignal<this, IPanelStatus> {
    return this._statusChanged;
  }

  /**
   * Start the kernel (if needed) and wait until the hub browser is displayed;
   * after an error, tries again.
   */
  async whenReady(): Promise<void> {
    if (this._status.state === 'ready') {
      return;
    }
    const waiting = this._ready.promise;
    const phase = this._session.state.phase;
    if (this._status.state === 'error' || phase === 'idle') {
      void this.start();
    }
    await waiting;
  }

  /**
   * Start the sidebar kernel session (its `ready` displays the hub browser),
   * or display the hub browser again if the kernel runs.
   */
  async start(): Promise<void> {
    if (this._session.kernel) {
      return this._render();
    }
    try {
      await this._session.start();
    } catch {
      // The session reported the error (phase `error`).
    }
  }

  /**
   * Re-run the bootstrap in the current kernel (or start one).
   */
  async refresh(): Promise<void> {
    if (!this._session.kernel) {
      return this.start();
    }
    return this._render();
  }

  /**
   * Restart the sidebar kernel, after asking (unless `confirm` is false).
   */
  async restart(confirm = true): Promise<void> {
    if (!this._session.kernel) {
      return this.start();
    }
    if (confirm && !(await confirmRestart(this._t))) {
      return;
    }
    await this._session.restart();
  }

  /**
   * Run code in the sidebar kernel (no output shown); rejects with the Python error.
   */
  async execute(code: string): Promise<void> {
    await this.whenReady();
    const kernel = this._session.kernel;
    if (!kernel) {
      throw new Error(this._t.__('The JumpStart kernel is not running.'));
    }
    const future = kernel.requestExecute({
      code,
      silent: false,
      store_history: false,
      allow_stdin: false
    });
    const reply = await future.done;
    if (reply.content.status === 'error') {
      throw new Error(`${reply.content.ename}: ${reply.content.evalue}`);
    }
    if (reply.content.status !== 'ok') {
      throw new Error(this._t.__('The request was aborted.'));
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._session.stateChanged.disconnect(this._onSessionState, this);
    this._clearOutput();
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    const phase = this._session.state.phase;
    if (phase === 'idle') {
      void this.start();
    } else {
      this._session.checkNow();
    }
  }

  private _onSessionState(
    _: SidebarSession,
    state: SidebarSession.IState
  ): void {
    switch (state.phase) {
      case 'starting':
        this._setStatus('busy', this._t.__('Starting the JumpStart kernel…'));
        break;
      case 'ready':
        void this._render();
        break;
      case 'restarting':
        this.navigation.reset();
        ++this._generation;
        this._clearOutput();
        this._widgets.reset();
        this._setStatus('busy', this._t.__('Restarting the JumpStart kernel…'));
        break;
      case 'stopped':
      case 'error':
        this.navigation.reset();
        ++this._generation;
        this._clearOutput();
        this._widgets.reset();
        this._fail(
          state.phase === 'stopped'
            ? this._t.__('The JumpStart kernel has stopped.')
            : state.message,
          true
        );
        break;
      default:
        break;
    }
  }

  /**
   * (Re)display the hub browser: fresh output area, the kernel's widget manager.
   */
  private async _render(): Promise<void> {
    const ctx = this._session.sessionContext;
    const kernel = this._session.kernel;
    if (!ctx || !kernel) {
      return;
    }
    const generation = ++this._generation;
    this._clearOutput();
    this._setStatus('busy', this._t.__('Loading the hub browser…'));
    // This tab's id (a duplicated tab takes a new one: see claimClientId).
    const id = await claimClientId();
    if (generation !== this._generation || this._session.kernel !== kernel) {
      return;
    }
    // Trusted: the widget renderer is an unsafe factory and the code is ours.
    const area = new OutputArea({
      model: new OutputAreaModel({ trusted: true }),
      rendermime: this._widgets.rendermime(kernel)
    });
    area.addClass('jp-JumpStartSidebar-output');
    this._area = area;
    this._body.addWidget(area);
    await this._widgets.whenRestored();
    if (generation !== this._generation || this._session.kernel !== kernel) {
      return;
    }

    const code = bootstrapCode(
      id,
      this._settings(),
      this._locale,
      this._mainArea
    );
    try {
      const reply = await OutputArea.execute(code, area, ctx);
      if (generation !== this._generation) {
        return;
      }
      if (reply?.content.status === 'error') {
        this._fail(
          this._t.__(
            'The hub browser could not start in kernel "%1": %2: %3',
            kernel.name,
            reply.content.ename,
            reply.content.evalue
          ),
          false
        );
        return;
      }
      ++this._displayed;
      this._setStatus('ready', '');
      this._ready.resolve();
    } catch (reason) {
      if (generation === this._generation) {
        this._fail(
          this._t.__('The hub browser could not start: %1', String(reason)),
          true
        );
      }
    }
  }

  private _setStatus(
    state: IPanelStatus['state'],
    message: string,
    offerStart = false
  ): void {
    if (state !== 'ready' && this._status.state === 'ready') {
      this._ready = new PromiseDelegate<void>();
    }
    this._status = { state, message, offerStart, generation: this._displayed };
    this._statusBox.display(this._status);
    this._statusChanged.emit(this._status);
  }

  /**
   * Show an error; whoever waits in `whenReady` gets it.
   */
  private _fail(message: string, offerStart: boolean): void {
    this._setStatus('error', message, offerStart);
    const waiting = this._ready;
    this._ready = new PromiseDelegate<void>();
    waiting.promise.catch(() => undefined);
    waiting.reject(new Error(message));
  }

  private _clearOutput(): void {
    this._area?.dispose();
    this._area = null;
  }

  private _session: SidebarSession;
  private _widgets: KernelWidgets;
  private _settings: () => ISidebarSettings;
  private _t: TranslationBundle;
  private _locale: string;
  private _mainArea: boolean;
  private _statusBox: StatusBox;
  private _body: Panel;
  private _area: OutputArea | null = null;
  private _status: IPanelStatus = {
    state: 'idle',
    message: '',
    offerStart: false,
    generation: 0
  };
  private _statusChanged = new Signal<this, IPanelStatus>(this);
  private _ready = new PromiseDelegate<void>();
  private _generation = 0;
  private _displayed = 0;
}
