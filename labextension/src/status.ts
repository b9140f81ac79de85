import { Spinner } from '@jupyterlab/ui-components';
import { ISignal, Signal } from '@lumino/signaling';
import { Panel } from '@lumino/widgets';

/**
 * What the sidebar kernel's panel shows: loading, ready, or an error.
 */
export interface IPanelStatus {
  state: 'idle' | 'busy' | 'ready' | 'error';
  message: string;
  /**
   * Offer a Start button with the error (the kernel is not running).
   */
  offerStart: boolean;
  /**
   * Increases with every completed display of the hub browser.
   */
  generation: number;
}

/**
 * A live region with a spinner and a message, or an error and a Start button.
 * `data-state` is `busy`, `ready` or `error`.
 */
export class StatusBox extends Panel {
  constructor(startLabel: string, startTitle: string) {
    super();
    this.addClass('jp-JumpStartSidebar-status');
    this.node.setAttribute('role', 'status');
    this.node.setAttribute('aria-live', 'polite');
    this._startLabel = startLabel;
    this._startTitle = startTitle;
  }

  /**
   * Emitted when the user clicks Start.
   */
  get startRequested(): ISignal<this, void> {
    return this._startRequested;
  }

  display(
    status: Pick<IPanelStatus, 'state' | 'message' | 'offerStart'>
  ): void {
    switch (status.state) {
      case 'busy':
        this.busy(status.message);
        break;
      case 'error':
        this.error(status.message, status.offerStart);
        break;
      case 'ready':
        this.clear();
        break;
      default:
        this.clear();
        delete this.node.dataset.state;
        break;
    }
  }

  clear(): void {
    this._spinner?.dispose();
    this._spinner = null;
    this.node.replaceChildren();
    this.node.dataset.state = 'ready';
  }

  busy(text: string): void {
    this.clear();
    this.node.dataset.state = 'busy';
    this._spinner = new Spinner();
    this._spinner.addClass('jp-JumpStartSidebar-spinner');
    this.addWidget(this._spinner); // a child widget: works before the box is attached
    const label = document.createElement('p');
    label.className = 'jp-JumpStartSidebar-message';
    label.textContent = text;
    this.node.appendChild(label);
  }

  error(text: string, offerStart: boolean): void {
    this.clear();
    this.node.dataset.state = 'error';
    const message = document.createElement('p');
    message.className = 'jp-JumpStartSidebar-message jp-JumpStartSidebar-error';
    message.textContent = text;
    this.node.appendChild(message);
    if (offerStart) {
      const button = document.createElement('button');
      button.className = 'jp-Button jp-mod-styled jp-mod-accept';
      button.textContent = this._startLabel;
      button.title = this._startTitle;
      button.addEventListener('click', () => this._startRequested.emit());
      this.node.appendChild(button);
    }
  }

  dispose(): void {
    this._spinner?.dispose();
    this._spinner = null;
    super.dispose();
  }

  private _startLabel: string;
  private _startTitle: string;
  private _spinner: Spinner | null = null;
  private _startRequested = new Signal<this, void>(this);
}
