import * as base from '@jupyter-widgets/base';
import {
  KernelWidgetManager,
  WidgetRenderer,
  output
} from '@jupyter-widgets/jupyterlab-manager';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { Kernel } from '@jupyterlab/services';

import { LabBridgeModel, MODULE_NAME, MODULE_VERSION } from './bridge';

const WIDGET_VIEW_MIMETYPE = 'application/vnd.jupyter.widget-view+json';
const JUPYTER_CONTROLS_VERSION = '2.0.0';

/**
 * How long the panel waits for the manager to load the kernel's widgets.
 */
const RESTORE_WAIT_MS = 15000;

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

/**
 * The one widget manager of the sidebar kernel, shared by the sidebar and
 * every main-area view, so they render the same kernel widgets (one state).
 *
 * A manager lives as long as its kernel process: a refresh re-displays models
 * it already holds (a second manager could not re-open their comms); `reset`
 * (called when the kernel restarts, changes or dies) drops it.
 */
export class KernelWidgets {
  constructor(rendermime: IRenderMimeRegistry) {
    this._rendermime = rendermime;
  }

  /**
   * The current manager (null before the first render or after a reset).
   */
  get manager(): KernelWidgetManager | null {
    return this._manager;
  }

  /**
   * A rendermime whose widget renderer uses `kernel`'s manager (created on first use).
   */
  rendermime(kernel: Kernel.IKernelConnection): IRenderMimeRegistry {
    if (
      this._manager &&
      this._mime &&
      !this._manager.isDisposed &&
      this._manager.kernel === kernel
    ) {
      return this._mime;
    }
    this.reset();
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
    this._mime = rendermime;
    return rendermime;
  }

  /**
   * Resolves once the current manager has loaded the widgets the kernel
   * already holds (other tabs' panels, this tab's before a reload). Code that
   * creates widgets runs after it: widgets created while the manager asks the
   * kernel for its widgets' states could arrive twice, and the second copy's
   * views would show a panel whose clicks change nothing. A restore that
   * fails says nothing (the manager swallows the error), hence the time limit.
   */
  async whenRestored(timeoutMs = RESTORE_WAIT_MS): Promise<void> {
    const manager = this._manager;
    if (!manager || manager.restoredStatus) {
      return;
    }
    await new Promise<void>(resolve => {
      const timer = window.setTimeout(() => {
        console.warn(
          `jumpstart-lab: the kernel's widgets were not restored within ${timeoutMs} ms; starting the panel anyway`
        );
        done();
      }, timeoutMs);
      const done = () => {
        window.clearTimeout(timer);
        manager.restored.disconnect(done);
        resolve();
      };
      manager.restored.connect(done);
      if (manager.restoredStatus || manager.isDisposed) {
        done();
      }
    });
  }

  /**
   * Whether `manager` is this kernel's manager (a bridge model asks: models of
   * a notebook's kernel belong to that notebook's manager).
   */
  owns(manager: unknown): boolean {
    return !!this._manager && manager === this._manager;
  }

  reset(): void {
    this._manager?.dispose();
    this._manager = null;
    this._mime = null;
  }

  private _rendermime: IRenderMimeRegistry;
  private _manager: KernelWidgetManager | null = null;
  private _mime: IRenderMimeRegistry | null = null;
}
