import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import {
  CANCEL_VALUE,
  DIALOG_KINDS,
  MAX_TITLE,
  MESSAGE_TOKEN_PATTERN as TOKEN
} from './protocol.generated';

const MAX_LABEL = 100;
const MAX_TEXT = 500_000;
const MAX_BUTTONS = 4;

/**
 * The value replied when the user closes a dialog without a button (Escape,
 * the close button, a click outside).
 */
export { CANCEL_VALUE };

export interface IDialogButton {
  label: string;
  value: string;
  accept: boolean;
  warn: boolean;
}

/**
 * A dialog the kernel asks for (bridge `{"action": "dialog", ...}`), validated.
 */
export interface IDialogRequest {
  id: string;
  kind: DialogKind;
  title: string;
  text: string;
  /**
   * eula only: an https link to the full license, its label and a notice.
   */
  uri: string | null;
  linkLabel: string;
  notice: string;
  /**
   * In display order: the cancel-type buttons first, then the accepting ones.
   */
  buttons: IDialogButton[];
}

export type DialogKind = (typeof DIALOG_KINDS)[number];

function isDialogKind(value: unknown): value is DialogKind {
  return (DIALOG_KINDS as readonly unknown[]).includes(value);
}

function str(value: unknown, max: number): string | null {
  return typeof value === 'string' && value.length <= max ? value : null;
}

function parseButton(value: unknown): IDialogButton | null {
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  const { label, value: v, accept, warn } = value as Record<string, unknown>;
  const text = str(label, MAX_LABEL);
  if (!text?.trim() || typeof v !== 'string' || !TOKEN.test(v)) {
    return null;
  }
  return {
    label: text,
    value: v,
    accept: accept === true,
    warn: warn === true
  };
}

/**
 * The request in `content`, or a reason why it is malformed. A request needs
 * at least one button that does not accept (it becomes the default button).
 */
export function parseDialogRequest(content: unknown): IDialogRequest | string {
  if (typeof content !== 'object' || content === null) {
    return 'not an object';
  }
  const msg = content as Record<string, unknown>;
  if (typeof msg.id !== 'string' || !TOKEN.test(msg.id)) {
    return 'id must be 1-64 letters, digits, "_" or "-"';
  }
  if (!isDialogKind(msg.kind)) {
    return 'kind must be "eula" or "confirm"';
  }
  const title = str(msg.title, MAX_TITLE);
  if (title === null) {
    return `title must be a string of at most ${MAX_TITLE} characters`;
  }
  const body = (
    typeof msg.body === 'object' && msg.body !== null ? msg.body : {}
  ) as Record<string, unknown>;
  const text = str(body.text, MAX_TEXT);
  if (text === null) {
    return 'body.text must be a string';
  }
  let uri: string | null = null;
  let linkLabel = '';
  let notice = '';
  if (msg.kind === 'eula') {
    const given = str(body.uri, 2048);
    uri = given && given.startsWith('https://') ? given : null;
    linkLabel = str(body.link_label, MAX_LABEL) ?? '';
    notice = str(body.notice, 2000) ?? '';
  }
  if (!Array.isArray(msg.buttons) || !msg.buttons.length) {
    return 'buttons must be a non-empty list';
  }
  if (msg.buttons.length > MAX_BUTTONS) {
    return `at most ${MAX_BUTTONS} buttons`;
  }
  const buttons: IDialogButton[] = [];
  for (const raw of msg.buttons) {
    const button = parseButton(raw);
    if (!button) {
      return 'each button needs a label and a value (1-64 letters, digits, "_" or "-")';
    }
    buttons.push(button);
  }
  const order = [
    ...buttons.filter(b => !b.accept),
    ...buttons.filter(b => b.accept)
  ];
  if (order[0].accept) {
    return 'a dialog needs a button that does not accept';
  }
  return {
    id: msg.id,
    kind: msg.kind,
    title,
    text,
    uri,
    linkLabel,
    notice,
    buttons: order
  };
}

/**
 * The body of a kernel-requested dialog. Every string is hub or kernel text:
 * set with textContent, never parsed as HTML.
 */
export class RequestBody extends Widget {
  constructor(request: IDialogRequest, trans: TranslationBundle) {
    super();
    this.addClass('jp-JumpStartDialog-body');
    const text = document.createElement('div');
    text.className = 'jp-JumpStartDialog-text';
    text.textContent = request.text;
    if (request.kind === 'eula') {
      text.classList.add('jp-JumpStartDialog-license');
      // Scrollable by keyboard: focusable, announced as a document.
      text.tabIndex = 0;
      text.setAttribute('role', 'document');
      text.setAttribute('aria-label', trans.__('License text'));
    }
    this.node.appendChild(text);
    if (request.uri) {
      const link = document.createElement('a');
      link.className = 'jp-JumpStartDialog-link';
      link.href = request.uri;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.textContent = request.linkLabel || request.uri;
      const line = document.createElement('p');
      line.appendChild(link);
      this.node.appendChild(line);
    }
    if (request.notice) {
      const notice = document.createElement('p');
      notice.className = 'jp-JumpStartDialog-notice';
      notice.textContent = request.notice;
      this.node.appendChild(notice);
    }
  }
}

function dialogButton(button: IDialogButton): Dialog.IButton {
  const options = { label: button.label, accept: button.accept };
  if (button.warn) {
    return Dialog.warnButton(options);
  }
  return button.accept
    ? Dialog.okButton(options)
    : Dialog.cancelButton(options);
}

/**
 * An open kernel-requested dialog: `result` resolves with the chosen button's
 * value, or `cancel` when closed without one; `dispose()` (the kernel went
 * away) closes it and resolves with null.
 */
export class RequestDialog {
  constructor(request: IDialogRequest, trans: TranslationBundle) {
    const buttons = request.buttons.map(dialogButton);
    this._dialog = new Dialog({
      title: request.title,
      body: new RequestBody(request, trans),
      buttons,
      defaultButton: 0, // the first cancel-type button: Enter never accepts
      hasClose: true
    });
    this._dialog.addClass('jp-JumpStartDialog');
    this._dialog.node.setAttribute('aria-label', request.title);
    this._dialog.node.dataset.kind = request.kind;
    this.result = this._dialog.launch().then(
      result => {
        const index = buttons.indexOf(result.button);
        return index >= 0 ? request.buttons[index].value : CANCEL_VALUE;
      },
      () => null
    );
  }

  readonly result: Promise<string | null>;

  dispose(): void {
    this._dialog.dispose();
  }

  private _dialog: Dialog<unknown>;
}

/**
 * Ask before restarting the sidebar kernel; resolves with whether to go on.
 */
export async function confirmRestart(
  trans: TranslationBundle
): Promise<boolean> {
  const result = await showDialog({
    title: trans.__('Restart the JumpStart kernel?'),
    body: trans.__("The panel's state is lost."),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Restart') })
    ],
    defaultButton: 0
  });
  return result.button.accept;
}
