import { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import { OutputArea, OutputAreaModel } from '@jupyterlab/outputarea';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { Message } from '@lumino/messaging';
import { Panel } from '@lumino/widgets';

import { OPEN_VIEW_COMMAND } from './bridge';
import {
  isViewKey,
  isViewKind,
  MAX_VIEW_KEY,
  showViewCode,
  VIEW_KINDS,
  ViewKind
} from './bootstrap';
import { clientId } from './clientid';
import { jumpstartIcon } from './icon';
import { MAX_TITLE } from './protocol.generated';
import { JumpStartSidebar } from './sidebar';
import { IPanelStatus, StatusBox } from './status';

export const TRACKER_NAMESPACE = 'jumpstart-lab-views';

/**
 * The arguments of `jumpstart-lab:open-view` (also what the restorer saves).
 */
export interface IViewArgs {
  view: ViewKind;
  key: string;
  title: string;
}

/**
 * The view in `args`, or why it is refused.
 */
export function parseViewArgs(
  args: ReadonlyPartialJSONObject
): IViewArgs | string {
  const { view, key, title } = args;
  if (!isViewKind(view)) {
    return `view must be one of ${VIEW_KINDS.join(', ')}`;
  }
  if (!isViewKey(key)) {
    return `key must be a string of at most ${MAX_VIEW_KEY} characters`;
  }
  if (typeof title !== 'string' || !title.trim() || title.length > MAX_TITLE) {
    return `title must be a non-empty string of at most ${MAX_TITLE} characters`;
  }
  return { view, key, title: title.trim() };
}

/**
 * A DOM-safe id derived from the view and its key (FNV-1a over the key, twice).
 */
export function viewId(view: ViewKind, key: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return `jumpstart-lab-view-${view}-${hex(a)}${hex(b)}`;
}

/**
 * A main-area view: the kernel's widget for (view, key), shown through the
 * sidebar kernel's widget manager, so it shares its state with the sidebar.
 * It draws once the sidebar's hub browser is displayed, and again after each
 * redraw of the sidebar (kernel restarts included).
 */
export class JumpStartView extends Panel {
  constructor(
    sidebar: JumpStartSidebar,
    args: IViewArgs,
    trans: TranslationBundle
  ) {
    super();
    this._sidebar = sidebar;
    this._t = trans;
    this.view = args.view;
    this.key = args.key;
    this.addClass('jp-JumpStartView');
    this.node.dataset.view = args.view;
    this._statusBox = new StatusBox(
      trans.__('Start'),
      trans.__('Start the JumpStart kernel')
    );
    this._statusBox.startRequested.connect(() => void sidebar.start());
    this.addWidget(this._statusBox);
    this._body = new Panel();
    this._body.addClass('jp-JumpStartView-body');
    this.addWidget(this._body);
    sidebar.statusChanged.connect(this._onStatus, this);
    this._onStatus(sidebar, sidebar.status);
    if (sidebar.status.state !== 'ready') {
      sidebar.whenReady().catch(() => undefined); // starts the kernel if needed
    }
  }

  readonly view: ViewKind;
  readonly key: string;

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._sidebar.statusChanged.disconnect(this._onStatus, this);
    this._area?.dispose();
    this._area = null;
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._sidebar.session.checkNow();
  }

  private _onStatus(_: JumpStartSidebar, status: IPanelStatus): void {
    if (status.state === 'ready') {
      if (status.generation !== this._drawn) {
        void this._render(status.generation);
      }
      return;
    }
    this._drawn = -1;
    this._area?.dispose();
    this._area = null;
    if (status.state === 'busy') {
      this._statusBox.busy(status.message);
    } else if (status.state === 'error') {
      this._statusBox.error(status.message, status.offerStart);
    } else {
      this._statusBox.busy(this._t.__('Starting the JumpStart kernel…'));
    }
  }

  private async _render(generation: number): Promise<void> {
    const ctx = this._sidebar.session.sessionContext;
    const kernel = this._sidebar.session.kernel;
    if (!ctx || !kernel) {
      return;
    }
    this._drawn = generation;
    this._area?.dispose();
    this._statusBox.busy(this._t.__('Loading…'));
    const area = new OutputArea({
      model: new OutputAreaModel({ trusted: true }), // the widget renderer is unsafe; the code is ours
      rendermime: this._sidebar.kernelWidgets.rendermime(kernel)
    });
    area.addClass('jp-JumpStartView-output');
    this._area = area;
    this._body.addWidget(area);
    try {
      const reply = await OutputArea.execute(
        showViewCode(clientId(), this.view, this.key),
        area,
        ctx
      );
      if (this._drawn !== generation || this.isDisposed) {
        return;
      }
      if (reply?.content.status === 'error') {
        this._statusBox.error(
          this._t.__(
            'This view could not be shown: %1: %2',
            reply.content.ename,
            reply.content.evalue
          ),
          false
        );
      } else {
        this._statusBox.clear();
      }
    } catch (reason) {
      if (this._drawn === generation && !this.isDisposed) {
        this._statusBox.error(
          this._t.__('This view could not be shown: %1', String(reason)),
          false
        );
      }
    }
  }

  private _sidebar: JumpStartSidebar;
  private _t: TranslationBundle;
  private _statusBox: StatusBox;
  private _body: Panel;
  private _area: OutputArea | null = null;
  private _drawn = -1;
}

export type ViewWidget = MainAreaWidget<JumpStartView>;

/**
 * Add `jumpstart-lab:open-view`: open a view in a main-area tab, or focus the
 * tab that already shows it. Tabs are tracked and restored after a reload.
 */
export function addViewCommand(
  app: JupyterFrontEnd,
  sidebar: JumpStartSidebar,
  trans: TranslationBundle,
  restorer: ILayoutRestorer | null
): WidgetTracker<ViewWidget> {
  const tracker = new WidgetTracker<ViewWidget>({
    namespace: TRACKER_NAMESPACE
  });
  const find = (view: ViewKind, key: string) =>
    tracker.find(w => w.content.view === view && w.content.key === key);

  app.commands.addCommand(OPEN_VIEW_COMMAND, {
    label: trans.__('JumpStart: Open view'),
    caption: trans.__(
      'Open a JumpStart page (model, endpoints, admin) in the main area'
    ),
    icon: jumpstartIcon,
    describedBy: {
      args: {
        type: 'object',
        required: ['view', 'key', 'title'],
        properties: {
          view: { type: 'string', enum: [...VIEW_KINDS] },
          key: { type: 'string', maxLength: MAX_VIEW_KEY },
          title: { type: 'string', minLength: 1, maxLength: MAX_TITLE }
        }
      }
    },
    execute: args => {
      const parsed = parseViewArgs(args);
      if (typeof parsed === 'string') {
        console.warn(`jumpstart-lab: open-view refused (${parsed})`, args);
        throw new Error(parsed);
      }
      let widget = find(parsed.view, parsed.key);
      if (!widget) {
        const content = new JumpStartView(sidebar, parsed, trans);
        widget = new MainAreaWidget({ content });
        widget.id = uniqueId(app, viewId(parsed.view, parsed.key));
        widget.addClass('jp-JumpStartViewPanel');
        widget.title.icon = jumpstartIcon;
        widget.title.closable = true;
        widget.title.label = parsed.title;
        widget.title.caption = parsed.title;
        widget.toolbar.hide();
        void tracker.add(widget);
        app.shell.add(widget, 'main', { type: 'JumpStart' });
      } else if (widget.title.label !== parsed.title) {
        widget.title.label = parsed.title;
        widget.title.caption = parsed.title;
        void tracker.save(widget);
      }
      app.shell.activateById(widget.id);
      return widget;
    }
  });

  void restorer?.restore(tracker, {
    command: OPEN_VIEW_COMMAND,
    args: widget => ({
      view: widget.content.view,
      key: widget.content.key,
      title: widget.title.label
    }),
    name: widget => widget.id
  });
  return tracker;
}

/**
 * `id`, or `id-2`, `id-3`... if another widget of the shell has it.
 */
function uniqueId(app: JupyterFrontEnd, id: string): string {
  const taken = new Set<string>();
  for (const w of app.shell.widgets('main')) {
    taken.add(w.id);
  }
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) {
    candidate = `${id}-${n}`;
  }
  return candidate;
}
