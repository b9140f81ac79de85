import { IBackboneModelOptions, WidgetModel } from '@jupyter-widgets/base';
import { JupyterFrontEnd } from '@jupyterlab/application';

import { clientId } from './clientid';

/**
 * The widget module of the bridge; the Python side (jumpstart_lab/widget/bridge.py)
 * asks for `^MODULE_VERSION`. Keep MODULE_VERSION equal to package.json's version
 * (tests/test_packaging.py checks it).
 */
export const MODULE_NAME = 'jumpstart-lab';
export const MODULE_VERSION = '0.1.0';

/**
 * The only command the kernel may trigger through the bridge.
 */
export const OPEN_COMMAND = 'docmanager:open';

const MAX_PATH = 1024;

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
 * Handle one bridge message; returns whether a file was opened.
 *
 * Only `{action: "open", path, target}` is understood, and only when `target`
 * is empty (a notebook) or equals this tab's client id.
 */
export function handleBridgeMessage(
  content: unknown,
  app: JupyterFrontEnd | null,
  clientId: string
): boolean {
  if (!app || typeof content !== 'object' || content === null) {
    return false;
  }
  const { action, path, target } = content as Record<string, unknown>;
  if (action !== 'open' || !isSafePath(path)) {
    console.warn('jumpstart-lab: ignored bridge message', content);
    return false;
  }
  if (target !== undefined && target !== null && target !== '') {
    if (target !== clientId) {
      return false; // addressed to another browser tab
    }
  }
  void app.commands.execute(OPEN_COMMAND, { path }).catch(reason => {
    console.error(`jumpstart-lab: could not open ${path}`, reason);
  });
  return true;
}

/**
 * Non-visual widget model: turns kernel requests into `docmanager:open`.
 */
export class LabBridgeModel extends WidgetModel {
  /**
   * Set once by the plugin when JupyterLab starts.
   */
  static app: JupyterFrontEnd | null = null;

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
    this.on('msg:custom', (content: unknown) => {
      handleBridgeMessage(content, LabBridgeModel.app, clientId());
    });
  }
}
