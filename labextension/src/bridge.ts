import { IBackboneModelOptions, WidgetModel } from '@jupyter-widgets/base';
import { JupyterFrontEnd } from '@jupyterlab/application';
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';

import { isViewKey, isViewKind } from './bootstrap';
import { clientId } from './clientid';
import { parseDialogRequest, RequestDialog } from './dialogs';
import {
  CANCEL_VALUE,
  FEATURES,
  MAX_PATH,
  MAX_TITLE,
  MAX_VIEW_KEY,
  MESSAGE_TOKEN_PATTERN,
  MODULE_NAME,
  MODULE_VERSION,
  NAV_TARGETS,
  PAGES
} from './protocol.generated';

/**
 * The widget module of the bridge; the Python side (jumpstart_lab/lab/bridge.py)
 * asks for `^MODULE_VERSION`. Both come from package.json's version, through
 * jumpstart_lab/lab/protocol.py (tests/test_packaging.py checks it).
 */
export { MODULE_NAME, MODULE_VERSION };

/**
 * The commands the kernel may trigger through the bridge (no others).
 */
export const OPEN_COMMAND = 'docmanager:open';
export const OPEN_VIEW_COMMAND = 'jumpstart-lab:open-view';

/**
 * What the frontend tells each bridge when it connects (`{"event": "ready"}`).
 */
export type Feature = (typeof FEATURES)[number];

/**
 * Where the sidebar's toolbar buttons navigate (`{"event": "navigate", to}`).
 */
export { NAV_TARGETS };
export type NavTarget = (typeof NAV_TARGETS)[number];

/**
 * Where the sidebar's panel is (`{"action": "nav"}`): its page, the open
 * hub's key ("" on other pages), and whether Back and Admin apply.
 */
export interface INavState {
  page: string;
  hub: string;
  back: boolean;
  admin: boolean;
}

/**
 * The nav state in a kernel message, or null if it is not one.
 */
export function parseNav(msg: Record<string, unknown>): INavState | null {
  const { page, hub, back, admin } = msg;
  if (
    typeof page !== 'string' ||
    !(PAGES as readonly string[]).includes(page) ||
    typeof hub !== 'string' ||
    hub.length > MAX_VIEW_KEY ||
    typeof back !== 'boolean' ||
    typeof admin !== 'boolean'
  ) {
    return null;
  }
  return { page, hub, back, admin };
}

/**
 * Whether `path` is a server-relative file path (no absolute path, no `..`,
 * no backslash or control characters).
 */
export function isSafePath(path: unknown): path is string {
  if (typeof path !== 'string' || !path.trim() || path.length > MAX_PATH) {
    return false;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\\]/.test(path) || path.startsWith('/')) {
    return false;
  }
  return !path.split('/').includes('..');
}

/**
 * Whether a message addressed to `target` is for this tab: an empty target
 * means any tab showing the widget (a notebook's hub browser).
 */
export function isForThisTab(target: unknown, id: string): boolean {
  return (
    target === undefined || target === null || target === '' || target === id
  );
}

/**
 * Where the bridge acts: the application, and whether a model's widget
 * manager is the sidebar kernel's (only those may open main-area views, which
 * run in that kernel).
 */
export interface IBridgeHost {
  app: JupyterFrontEnd;
  trans: TranslationBundle;
  mainArea: boolean;
  isSidebarManager(manager: unknown): boolean;
  /**
   * The sidebar panel's bridge says where it is (sidebar kernel only).
   */
  onNav?(bridge: LabBridgeModel, nav: INavState): void;
  /**
   * A panel deployed, deleted or redeployed an endpoint (the icon's badge counts again).
   */
  deploymentsChanged?(): void;
}

/**
 * The features a bridge of `manager` can use in this frontend.
 */
export function featuresFor(
  host: IBridgeHost | null,
  manager: unknown
): Feature[] {
  const features: Feature[] = ['dialog'];
  if (host?.mainArea && host.isSidebarManager(manager)) {
    features.push('open-view', 'toolbar');
  }
  return features;
}

/**
 * Non-visual widget model: turns kernel requests into allow-listed commands
 * and application dialogs, and replies to the kernel.
 *
 * Kernel -> frontend (custom messages), each with `target`:
 * - `{action: "open", path}` -> `docmanager:open`;
 * - `{action: "open-view", view, key, title}` -> `jumpstart-lab:open-view`
 *   (sidebar kernel only, in JupyterLab);
 * - `{action: "dialog", id, kind, title, body, buttons}` -> a modal dialog,
 *   answered with `{event: "dialog-result", id, value}`;
 * - `{action: "nav", page, hub, back, admin}` -> the sidebar's toolbar
 *   (sidebar kernel only);
 * - `{action: "deployments-changed"}` -> the sidebar badge counts the running
 *   endpoints again.
 * Frontend -> kernel on connect: `{event: "ready", client, features}`; from
 * the sidebar's toolbar: `{event: "navigate", to}`.
 */
export class LabBridgeModel extends WidgetModel {
  /**
   * Set once by the plugin when JupyterLab starts.
   */
  static host: IBridgeHost | null = null;

  defaults(): any {
    return {
      ...super.defaults(),
      _model_name: 'LabBridgeModel',
      _model_module: MODULE_NAME,
      _model_module_version: MODULE_VERSION,
      _view_name: null,
      _view_module: null,
      _view_module_version: ''
    };
  }

  initialize(attributes: any, options: IBackboneModelOptions): void {
    super.initialize(attributes, options);
    this.on('msg:custom', (content: unknown) => this._onMessage(content));
    this.on('comm:close destroy', () => this._closeDialogs());
    // After the constructor: the manager registers the model first.
    void Promise.resolve().then(() => this._sendReady());
  }

  /**
   * The dialogs this model shows now, by id.
   */
  get openDialogs(): ReadonlyMap<string, RequestDialog> {
    return this._dialogs;
  }

  private _sendReady(): void {
    if (!this.comm_live) {
      return;
    }
    this.send({
      event: 'ready',
      client: clientId(),
      features: featuresFor(LabBridgeModel.host, this.widget_manager)
    });
  }

  private _onMessage(content: unknown): void {
    const host = LabBridgeModel.host;
    if (!host || typeof content !== 'object' || content === null) {
      console.warn('jumpstart-lab: ignored bridge message', content);
      return;
    }
    const msg = content as Record<string, unknown>;
    if (!isForThisTab(msg.target, clientId())) {
      return; // addressed to another browser tab
    }
    switch (msg.action) {
      case 'open':
        this._open(host, msg);
        break;
      case 'open-view':
        this._openView(host, msg);
        break;
      case 'dialog':
        this._dialog(host, msg);
        break;
      case 'nav':
        this._nav(host, msg);
        break;
      case 'deployments-changed':
        host.deploymentsChanged?.();
        break;
      default:
        console.warn('jumpstart-lab: ignored bridge message', content);
    }
  }

  /**
   * Ask the kernel's panel to navigate (a toolbar button).
   */
  navigate(to: NavTarget): void {
    if (this.comm_live) {
      this.send({ event: 'navigate', to });
    }
  }

  private _nav(host: IBridgeHost, msg: Record<string, unknown>): void {
    const nav = parseNav(msg);
    if (!nav || !featuresFor(host, this.widget_manager).includes('toolbar')) {
      console.warn('jumpstart-lab: ignored bridge message', msg);
      return;
    }
    host.onNav?.(this, nav);
  }

  private _open(host: IBridgeHost, msg: Record<string, unknown>): void {
    const { path } = msg;
    if (!isSafePath(path)) {
      console.warn('jumpstart-lab: ignored bridge message', msg);
      return;
    }
    void host.app.commands.execute(OPEN_COMMAND, { path }).catch(reason => {
      console.error(`jumpstart-lab: could not open ${path}`, reason);
    });
  }

  private _openView(host: IBridgeHost, msg: Record<string, unknown>): void {
    const { view, key, title } = msg;
    if (!featuresFor(host, this.widget_manager).includes('open-view')) {
      console.warn(
        'jumpstart-lab: open-view is only for the sidebar kernel in JupyterLab',
        msg
      );
      return;
    }
    if (
      !isViewKind(view) ||
      !isViewKey(key) ||
      typeof title !== 'string' ||
      !title.trim() ||
      title.length > MAX_TITLE
    ) {
      console.warn('jumpstart-lab: ignored bridge message', msg);
      return;
    }
    void host.app.commands
      .execute(OPEN_VIEW_COMMAND, { view, key, title })
      .catch(reason => {
        console.error('jumpstart-lab: could not open the view', reason);
      });
  }

  private _dialog(host: IBridgeHost, msg: Record<string, unknown>): void {
    const request = parseDialogRequest(msg);
    if (typeof request === 'string') {
      console.warn(`jumpstart-lab: ignored dialog request (${request})`, msg);
      if (typeof msg.id === 'string' && MESSAGE_TOKEN_PATTERN.test(msg.id)) {
        this._reply(msg.id, CANCEL_VALUE); // nobody waits for an answer that never comes
      }
      return;
    }
    if (this._dialogs.has(request.id)) {
      return; // already shown
    }
    const dialog = new RequestDialog(
      request,
      host.trans ?? nullTranslator.load('jumpstart_lab')
    );
    this._dialogs.set(request.id, dialog);
    void dialog.result.then(value => {
      this._dialogs.delete(request.id);
      if (value !== null) {
        this._reply(request.id, value);
      }
    });
  }

  private _reply(id: string, value: string): void {
    if (this.comm_live) {
      this.send({ event: 'dialog-result', id, value });
    }
  }

  private _closeDialogs(): void {
    for (const dialog of this._dialogs.values()) {
      dialog.dispose();
    }
    this._dialogs.clear();
  }

  private _dialogs = new Map<string, RequestDialog>();
}
