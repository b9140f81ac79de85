import * as base from '@jupyter-widgets/base';
import {
  KernelWidgetManager,
  WidgetRenderer,
  output
} from '@jupyter-widgets/jupyterlab-manager';
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ISessionContext, SessionContext } from '@jupyterlab/apputils';
import { URLExt } from '@jupyterlab/coreutils';
import { OutputArea, OutputAreaModel } from '@jupyterlab/outputarea';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import {
  Kernel,
  KernelMessage,
  ServerConnection,
  Session
} from '@jupyterlab/services';
import { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import {
  SidePanel,
  Spinner,
  ToolbarButton,
  refreshIcon,
  runIcon
} from '@jupyterlab/ui-components';
import { PromiseDelegate } from '@lumino/coreutils';
import { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';

import { LabBridgeModel, MODULE_NAME, MODULE_VERSION } from './bridge';
import { claimClientId } from './clientid';
import { jumpstartIcon } from './icon';

export const SIDEBAR_ID = 'jumpstart-lab-sidebar';
/**
 * One fixed session path: every browser tab shares one sidebar kernel.
 */
export const SESSION_PATH = '.jumpstart-lab/sidebar';
export const SESSION_TYPE = 'jumpstart-lab';
export const SESSION_NAME = 'JumpStart sidebar';

/**
 * How often a visible panel checks that its kernel was not restarted elsewhere.
 */
const CHECK_INTERVAL_MS = 5000;
const WIDGET_VIEW_MIMETYPE = 'application/vnd.jupyter.widget-view+json';
const JUPYTER_CONTROLS_VERSION = '2.0.0';

/**
 * The user settings the sidebar reads (schema/plugin.json).
 */
export interface ISidebarSettings {
  kernelName: string;
  notebookDir: string;
}

/**
 * A Python string literal for `value` (JSON string escapes are valid Python).
 */
export function pyString(value: string): string {
  return JSON.stringify(value);
}

/**
 * The code the sidebar kernel runs to display the hub browser.
 */
export function bootstrapCode(
  id: string,
  settings: ISidebarSettings,
  locale = ''
): string {
  const language = /^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8}){0,2}$/.test(locale)
    ? pyString(locale)
    : 'None';
  return [
    'from jumpstart_lab.lab.sidebar import sidebar_widget',
    `sidebar_widget(client_id=${pyString(id)}, locale=${language}, notebook_dir=${pyString(settings.notebookDir)})`
  ].join('\n');
}

/**
 * The code that makes this tab's hub browser show one model.
 */
export function openModelCode(
  id: string,
  hub: string,
  modelId: string
): string {
  return [
    'from jumpstart_lab.lab.sidebar import open_model',
    `open_model(${pyString(id)}, ${pyString(hub)}, ${pyString(modelId)});`
  ].join('\n');
}

/**
 * Register the widget modules the hub browser uses on a private manager:
 * a self-made KernelWidgetManager knows no module until told.
 */
export function registerWidgetModules(manager: KernelWidgetManager): void {
  manager.register({
    name: '@jupyter-widgets/base',
    version: base.JUPYTER_WIDGETS_VERSION,
    exports: {
      WidgetModel: base.WidgetModel,
      WidgetView: base.WidgetView,
      DOMWidgetView: base.DOMWidgetView,
      DOMWidgetModel: base.DOMWidgetModel,
      LayoutModel: base.LayoutModel,
      LayoutView: base.LayoutView,
      StyleModel: base.StyleModel,
      StyleView: base.StyleView,
      ErrorWidgetView: base.ErrorWidgetView
    } as any
  });
  manager.register({
    name: '@jupyter-widgets/controls',
    version: JUPYTER_CONTROLS_VERSION,
    exports: () => import('@jupyter-widgets/controls') as any
  });
  manager.register({
    name: '@jupyter-widgets/output',
    version: output.OUTPUT_WIDGET_VERSION,
    exports: { OutputModel: output.OutputModel, OutputView: output.OutputView }
  });
  manager.register({
    name: MODULE_NAME,
    version: MODULE_VERSION,
    exports: { LabBridgeModel }
  });
}

export namespace JumpStartSidebar {
  export interface IOptions {
    app: JupyterFrontEnd;
    rendermime: IRenderMimeRegistry;
    settings: () => ISidebarSettings;
    trans: TranslationBundle;
    translator?: ITranslator;
    /**
     * JupyterLab's display language (e.g. "en", "de_DE"); "" for the default.
     */
    locale?: string;
  }
}

/**
 * Left-sidebar panel hosting the kernel-side hub browser.
 *
 * The kernel session starts the first time the panel is shown. Restarts and
 * crashes redraw the panel; a dead kernel shows a Start button; the kernel is
 * shut down when the panel is disposed or the page unloads (unless another
 * tab still uses it).
 */
export class JumpStartSidebar extends SidePanel {
  constructor(options: JumpStartSidebar.IOptions) {
    super({ content: new Panel(), translator: options.translator });
    this._app = options.app;
    this._rendermime = options.rendermime;
    this._settings = options.settings;
    this._t = options.trans;
    this._locale = options.locale ?? '';
    this.id = SIDEBAR_ID;
    this.addClass('jp-JumpStartSidebar');
    this.title.icon = jumpstartIcon;
    this.title.caption = this._t.__('JumpStart');

    const heading = new Widget({ node: document.createElement('h2') });
    heading.node.textContent = this._t.__('JumpStart');
    this.header.addWidget(heading);

    this.toolbar.addClass('jp-JumpStartSidebar-toolbar');
    this.toolbar.addItem(
      'refresh',
      new ToolbarButton({
        icon: refreshIcon,
        label: this._t.__('Refresh'),
        tooltip: this._t.__('Reload the hub browser'),
        onClick: () => void this.refresh()
      })
    );
    this.toolbar.addItem(
      'restart',
      new ToolbarButton({
        icon: runIcon,
        label: this._t.__('Restart'),
        tooltip: this._t.__('Restart the JumpStart kernel'),
        onClick: () => void this.restart()
      })
    );

    this._status = new Widget();
    this._status.addClass('jp-JumpStartSidebar-status');
    this._status.node.setAttribute('role', 'status');
    this._status.node.setAttribute('aria-live', 'polite');
    this.addWidget(this._status);

    this._body = new Panel();
    this._body.addClass('jp-JumpStartSidebar-body');
    this.addWidget(this._body);

    window.addEventListener('beforeunload', this._onUnload);
    this._checkTimer = window.setInterval(
      () => void this._checkKernel(),
      CHECK_INTERVAL_MS
    );
  }

  /**
   * The session context of the sidebar kernel (null before the first show).
   */
  get sessionContext(): ISessionContext | null {
    return this._ctx;
  }

  /**
   * Start the kernel (if needed) and wait until the hub browser is displayed.
   */
  async whenReady(): Promise<void> {
    if (!this._ctx) {
      await this.start();
    } else if (this._starting) {
      await this._starting;
    }
    await this._ready.promise;
  }

  /**
   * Start the sidebar kernel session and display the hub browser.
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
   * Re-run the bootstrap in the current kernel (or start one).
   */
  async refresh(): Promise<void> {
    if (this._starting) {
      return this._starting;
    }
    if (!this._ctx?.session?.kernel || this._ctx.isDisposed) {
      return this.start();
    }
    return this._render();
  }

  /**
   * Restart the sidebar kernel; the status change redraws the panel.
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
      this._showError(
        this._t.__(
          'The JumpStart kernel could not restart: %1',
          String(reason)
        ),
        true
      );
    }
  }

  /**
   * Run code in the sidebar kernel (no output shown); rejects with the Python error.
   */
  async execute(code: string): Promise<void> {
    await this.whenReady();
    const kernel = this._ctx?.session?.kernel;
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
    this._disposing = true;
    window.clearTimeout(this._reloadTimer);
    window.clearInterval(this._checkTimer);
    window.removeEventListener('beforeunload', this._onUnload);
    this._clearOutput();
    this._disposeManager();
    const ctx = this._ctx;
    this._ctx = null;
    super.dispose();
    if (ctx) {
      void ctx
        .shutdown()
        .catch(() => undefined)
        .then(() => ctx.dispose());
    }
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    if (!this._ctx && !this._starting) {
      void this.start();
    } else {
      void this._checkKernel();
    }
  }

  private async _start(): Promise<void> {
    this._clearOutput();
    this._disposeManager();
    this._ready = new PromiseDelegate<void>();
    this._showBusy(this._t.__('Starting the JumpStart kernel…'));
    const { kernelName } = this._settings();
    const { kernelspecs, sessions } = this._app.serviceManager;
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
      this._disposeSessionContext();
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
      ctx.connectionStatusChanged.connect(
        this._onConnectionStatusChanged,
        this
      );
      ctx.iopubMessage.connect(this._onIopubMessage, this);
      await ctx.initialize();
      if (!ctx.session?.kernel) {
        throw new Error(this._t.__('No kernel could be started.'));
      }
    } catch (reason) {
      this._showError(
        this._t.__(
          'The JumpStart kernel could not start: %1',
          (reason as Error)?.message ?? String(reason)
        ),
        true
      );
      this._ready.reject(reason);
      this._ready.promise.catch(() => undefined);
      return;
    }
    await this._render();
  }

  /**
   * (Re)display the hub browser: fresh widget manager, fresh output area.
   */
  private async _render(): Promise<void> {
    const ctx = this._ctx;
    const kernel = ctx?.session?.kernel;
    if (!ctx || !kernel) {
      return;
    }
    const generation = ++this._generation;
    this._rendered = true;
    this._clearOutput();
    this._showBusy(this._t.__('Loading the hub browser…'));
    // This tab's id first: a widget manager created for a kernel that already has widgets
    // must run the bootstrap at once (a bootstrap run after the manager restored the
    // existing widgets gave a panel whose clicks never reached the kernel).
    const id = await claimClientId();
    if (
      generation !== this._generation ||
      this._ctx !== ctx ||
      ctx.session?.kernel !== kernel
    ) {
      return;
    }

    // Trusted: the widget renderer is an unsafe factory and the code is ours.
    const area = new OutputArea({
      model: new OutputAreaModel({ trusted: true }),
      rendermime: this._widgetRendermime(kernel)
    });
    area.addClass('jp-JumpStartSidebar-output');
    this._area = area;
    this._body.addWidget(area);

    try {
      const reply = await OutputArea.execute(
        bootstrapCode(id, this._settings(), this._locale),
        area,
        ctx
      );
      if (generation !== this._generation) {
        return;
      }
      this._kernelSession = reply?.header.session ?? '';
      if (reply?.content.status === 'error') {
        this._showError(
          this._t.__(
            'The hub browser could not start in kernel "%1": %2: %3',
            kernel.name,
            reply.content.ename,
            reply.content.evalue
          ),
          false
        );
      } else {
        this._clearStatus();
      }
      this._ready.resolve();
    } catch (reason) {
      if (generation === this._generation) {
        this._showError(
          this._t.__('The hub browser could not start: %1', String(reason)),
          true
        );
      }
    }
  }

  private _onStatusChanged(_: ISessionContext, status: Kernel.Status): void {
    switch (status) {
      case 'restarting':
      case 'autorestarting':
        this._beginReload();
        break;
      case 'dead':
        this._onDead();
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
   * the kernel who it is while the panel is visible.
   */
  private async _checkKernel(): Promise<void> {
    const kernel = this._ctx?.session?.kernel;
    if (
      !kernel ||
      this._checking ||
      !this._kernelSession ||
      this._needsReload ||
      !this.isVisible
    ) {
      return;
    }
    this._checking = true;
    try {
      const reply = await kernel.requestKernelInfo();
      const session = reply?.header.session;
      if (
        session &&
        this._kernelSession &&
        session !== this._kernelSession &&
        kernel === this._ctx?.session?.kernel
      ) {
        this._beginReload();
        this._scheduleReload();
      }
    } catch {
      // The kernel is going away: the status handlers take over.
    } finally {
      this._checking = false;
    }
  }

  private _onConnectionStatusChanged(
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
    if (this._rendered && args.newValue && args.newValue !== args.oldValue) {
      this._beginReload();
      this._scheduleReload();
    }
  }

  /**
   * The kernel is going away: drop the views, show the spinner, redraw later.
   */
  private _beginReload(): void {
    if (!this._rendered) {
      return;
    }
    ++this._generation;
    this._needsReload = true;
    this._kernelSession = '';
    window.clearTimeout(this._reloadTimer);
    this._clearOutput();
    this._disposeManager();
    this._showBusy(this._t.__('Restarting the JumpStart kernel…'));
  }

  /**
   * Redraw once the restarted kernel is reachable. Requests sent before the new
   * kernel answers its kernel_info request are queued by the kernel connection.
   */
  private _scheduleReload(delay = 250): void {
    if (!this._needsReload) {
      return;
    }
    window.clearTimeout(this._reloadTimer);
    this._reloadTimer = window.setTimeout(() => {
      if (this._needsReload && !this.isDisposed) {
        this._needsReload = false;
        void this._render();
      }
    }, delay);
  }

  private _onSessionChanged(
    _: ISessionContext,
    args: { newValue: Session.ISessionConnection | null }
  ): void {
    if (!args.newValue && this._rendered) {
      this._onDead();
    }
  }

  private _onDead(): void {
    if (this._disposing || this.isDisposed) {
      return;
    }
    ++this._generation;
    window.clearTimeout(this._reloadTimer);
    this._needsReload = false;
    this._rendered = false;
    this._kernelSession = '';
    this._clearOutput();
    this._disposeManager();
    this._disposeSessionContext();
    this._showError(this._t.__('The JumpStart kernel has stopped.'), true);
  }

  private _onUnload = (): void => {
    const session = this._ctx?.session;
    if (!session) {
      return;
    }
    const kernelId = session.kernel?.id;
    for (const model of this._app.serviceManager.kernels.running()) {
      if (model.id === kernelId && (model.connections ?? 0) > 1) {
        return; // another browser tab still shows the sidebar
      }
    }
    const settings = this._app.serviceManager.serverSettings;
    const url = URLExt.join(settings.baseUrl, 'api/sessions', session.id);
    void ServerConnection.makeRequest(
      url,
      { method: 'DELETE', keepalive: true },
      settings
    ).catch(() => undefined);
  };

  private _disposeSessionContext(): void {
    const ctx = this._ctx;
    this._ctx = null;
    if (ctx && !ctx.isDisposed) {
      ctx.statusChanged.disconnect(this._onStatusChanged, this);
      ctx.kernelChanged.disconnect(this._onKernelChanged, this);
      ctx.sessionChanged.disconnect(this._onSessionChanged, this);
      ctx.connectionStatusChanged.disconnect(
        this._onConnectionStatusChanged,
        this
      );
      ctx.iopubMessage.disconnect(this._onIopubMessage, this);
      ctx.dispose();
    }
  }

  /**
   * A rendermime whose widget renderer uses this kernel's widget manager.
   *
   * The manager lives as long as the kernel process: a refresh re-displays
   * models it already holds (a second manager could not re-open their comms),
   * a restart or a new kernel replaces it.
   */
  private _widgetRendermime(
    kernel: Kernel.IKernelConnection
  ): IRenderMimeRegistry {
    if (
      this._manager &&
      this._widgetMime &&
      !this._manager.isDisposed &&
      this._manager.kernel === kernel
    ) {
      return this._widgetMime;
    }
    this._disposeManager();
    const rendermime = this._rendermime.clone();
    const manager = new KernelWidgetManager(kernel, rendermime);
    registerWidgetModules(manager);
    rendermime.removeMimeType(WIDGET_VIEW_MIMETYPE);
    rendermime.addFactory(
      {
        safe: false,
        mimeTypes: [WIDGET_VIEW_MIMETYPE],
        createRenderer: options => new WidgetRenderer(options, manager)
      },
      -10
    );
    this._manager = manager;
    this._widgetMime = rendermime;
    return rendermime;
  }

  private _clearOutput(): void {
    this._area?.dispose();
    this._area = null;
  }

  private _disposeManager(): void {
    this._manager?.dispose();
    this._manager = null;
    this._widgetMime = null;
  }

  private _clearStatus(): void {
    this._spinner?.dispose();
    this._spinner = null;
    this._status.node.replaceChildren();
    this._status.node.dataset.state = 'ready';
  }

  private _showBusy(text: string): void {
    this._clearStatus();
    this._status.node.dataset.state = 'busy';
    this._spinner = new Spinner();
    this._spinner.addClass('jp-JumpStartSidebar-spinner');
    Widget.attach(this._spinner, this._status.node);
    const label = document.createElement('p');
    label.className = 'jp-JumpStartSidebar-message';
    label.textContent = text;
    this._status.node.appendChild(label);
  }

  private _showError(text: string, offerStart: boolean): void {
    this._clearStatus();
    this._status.node.dataset.state = 'error';
    const message = document.createElement('p');
    message.className = 'jp-JumpStartSidebar-message jp-JumpStartSidebar-error';
    message.textContent = text;
    this._status.node.appendChild(message);
    if (offerStart) {
      const button = document.createElement('button');
      button.className = 'jp-Button jp-mod-styled jp-mod-accept';
      button.textContent = this._t.__('Start');
      button.title = this._t.__('Start the JumpStart kernel');
      button.addEventListener('click', () => void this.start());
      this._status.node.appendChild(button);
    }
  }

  private _app: JupyterFrontEnd;
  private _rendermime: IRenderMimeRegistry;
  private _settings: () => ISidebarSettings;
  private _t: TranslationBundle;
  private _locale: string;
  private _status: Widget;
  private _body: Panel;
  private _spinner: Spinner | null = null;
  private _ctx: SessionContext | null = null;
  private _manager: KernelWidgetManager | null = null;
  private _widgetMime: IRenderMimeRegistry | null = null;
  private _area: OutputArea | null = null;
  private _starting: Promise<void> | null = null;
  private _ready = new PromiseDelegate<void>();
  private _generation = 0;
  private _rendered = false;
  private _needsReload = false;
  private _reloadTimer = 0;
  private _kernelSession = '';
  private _checkTimer = 0;
  private _checking = false;
  private _disposing = false;
}
