import { TranslationBundle } from '@jupyterlab/translation';
import {
  buildIcon,
  caretLeftIcon,
  homeIcon,
  LabIcon,
  runningIcon,
  Toolbar,
  ToolbarButton
} from '@jupyterlab/ui-components';

import { INavState, LabBridgeModel, NavTarget } from './bridge';

/**
 * What ends the restoring of a scroll position: the user acts.
 */
const USER_EVENTS = ['wheel', 'pointerdown', 'keydown', 'touchstart'];

/**
 * The sidebar's navigation: Back, Hubs, Endpoints and Admin as icon buttons in
 * its JupyterLab toolbar, driving the kernel's panel through its bridge
 * (`navigate`), and marking where the panel is (`nav`). It also keeps each
 * hub's scroll position while the panel lives: leaving a hub's model list
 * remembers how far down it was, coming back restores it.
 */
export class SidebarNavigation {
  constructor(
    toolbar: Toolbar,
    root: HTMLElement,
    scrollers: () => HTMLElement[],
    trans: TranslationBundle
  ) {
    this._scrollers = scrollers;
    this._root = root;
    // Scroll events do not bubble: listen in the capture phase. A position is
    // kept only while a model list is drawn (taking it away scrolls too).
    root.addEventListener(
      'scroll',
      () => {
        if (this._hub && root.querySelector('.jsl-model-list .jsl-model-row')) {
          this._positions.set(
            this._hub,
            this._scrollers().map(node => node.scrollTop)
          );
        }
      },
      true
    );
    const item = (
      to: NavTarget,
      icon: LabIcon,
      tooltip: string
    ): ToolbarButton => {
      const button = new ToolbarButton({
        icon,
        tooltip,
        className: `jp-JumpStartNav jp-JumpStartNav-${to}`,
        onClick: () => this._bridge?.navigate(to)
      });
      button.hide();
      return button;
    };
    this._buttons = {
      back: item('back', caretLeftIcon, trans.__('Back')),
      hubs: item('hubs', homeIcon, trans.__('Hubs')),
      endpoints: item('endpoints', runningIcon, trans.__('Endpoints')),
      admin: item(
        'admin',
        buildIcon,
        trans.__('Admin: create, fill, share and delete hubs')
      )
    };
    let index = 0;
    for (const [name, button] of Object.entries(this._buttons)) {
      toolbar.insertItem(index++, `jumpstart-${name}`, button);
    }
    toolbar.insertItem(index, 'jumpstart-spacer', Toolbar.createSpacerItem());
  }

  /**
   * The panel (through `bridge`) says where it is.
   */
  update(bridge: LabBridgeModel, nav: INavState): void {
    this._bridge = bridge;
    const { back, hubs, endpoints, admin } = this._buttons;
    back.setHidden(!nav.back);
    hubs.show();
    endpoints.show();
    admin.setHidden(!nav.admin);
    hubs.pressed = nav.page === 'hubs' || nav.page === 'models';
    endpoints.pressed = nav.page === 'endpoints';
    admin.pressed = nav.page === 'admin';
    this._scroll(nav.page === 'models' ? nav.hub : '');
  }

  /**
   * The panel went away (kernel restart, stop): no buttons until it is back.
   */
  reset(): void {
    this._bridge = null;
    this._hub = '';
    this._stopRestoring();
    for (const button of Object.values(this._buttons)) {
      button.hide();
    }
  }

  /**
   * Restore the scroll position of the hub shown. Its rows are drawn after the
   * message and may be drawn again when the search answers, so the position is
   * applied again on each change of the panel for a few seconds, until the
   * user scrolls, clicks or types.
   */
  private _scroll(hub: string): void {
    if (hub === this._hub) {
      return;
    }
    this._hub = hub;
    this._stopRestoring();
    const saved = hub ? this._positions.get(hub) : undefined;
    if (!saved) {
      return;
    }
    const apply = () => {
      this._scrollers().forEach((node, i) => {
        node.scrollTop = saved[i] ?? 0;
      });
    };
    const observer = new MutationObserver(apply);
    observer.observe(this._root, { childList: true, subtree: true });
    const timer = window.setTimeout(() => this._stopRestoring(), 3000);
    const byUser = () => this._stopRestoring();
    for (const event of USER_EVENTS) {
      this._root.addEventListener(event, byUser, true);
    }
    this._stopRestoring = () => {
      observer.disconnect();
      window.clearTimeout(timer);
      for (const event of USER_EVENTS) {
        this._root.removeEventListener(event, byUser, true);
      }
      this._stopRestoring = () => undefined;
    };
    apply();
  }

  private _stopRestoring: () => void = () => undefined;
  private _root: HTMLElement;
  private _scrollers: () => HTMLElement[];
  private _buttons: Record<NavTarget, ToolbarButton>;
  private _bridge: LabBridgeModel | null = null;
  private _hub = '';
  private _positions = new Map<string, number[]>();
}
