import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import {
  HUB_ARN_PATTERN as HUB_ARN,
  HUB_NAME_PATTERN as HUB_NAME,
  MODEL_ID_PATTERN as MODEL_ID
} from './protocol.generated';

export const PUBLIC_HUB = 'SageMakerPublicHub';

export interface IModelRef {
  hub: string;
  modelId: string;
}

/**
 * Return an error message for an invalid hub or model id, or null.
 */
export function checkModelRef(
  ref: IModelRef,
  trans: TranslationBundle
): string | null {
  if (!HUB_NAME.test(ref.hub) && !HUB_ARN.test(ref.hub)) {
    return trans.__(
      'Invalid hub "%1": use a hub name (letters, digits, hyphens; at most 63) or a hub ARN.',
      ref.hub
    );
  }
  if (!MODEL_ID.test(ref.modelId)) {
    return trans.__(
      'Invalid model id "%1": letters, digits and hyphens, at most 63.',
      ref.modelId
    );
  }
  return null;
}

/**
 * Dialog body with a hub field and a model id field.
 */
class OpenModelBody extends Widget implements Dialog.IBodyWidget<IModelRef> {
  constructor(trans: TranslationBundle, initial: Partial<IModelRef>) {
    super();
    this.addClass('jp-JumpStartOpenModel');
    this._hub = this._field(
      trans.__('Hub (name or ARN)'),
      initial.hub || PUBLIC_HUB,
      'jp-JumpStartOpenModel-hub'
    );
    this._model = this._field(
      trans.__('Model id'),
      initial.modelId ?? '',
      'jp-JumpStartOpenModel-model'
    );
    this._model.placeholder = trans.__(
      'e.g. %1',
      'huggingface-text2text-flan-t5-base'
    );
  }

  getValue(): IModelRef {
    return { hub: this._hub.value.trim(), modelId: this._model.value.trim() };
  }

  protected onAfterAttach(): void {
    (this._hub.value ? this._model : this._hub).focus();
  }

  private _field(label: string, value: string, cls: string): HTMLInputElement {
    const wrapper = document.createElement('label');
    wrapper.className = 'jp-JumpStartOpenModel-field';
    const text = document.createElement('span');
    text.textContent = label;
    const input = document.createElement('input');
    input.className = `jp-mod-styled ${cls}`;
    input.value = value;
    input.spellcheck = false;
    wrapper.append(text, input);
    this.node.appendChild(wrapper);
    return input;
  }

  private _hub: HTMLInputElement;
  private _model: HTMLInputElement;
}

/**
 * Ask for a hub and a model id; null when cancelled.
 */
export async function promptModelRef(
  trans: TranslationBundle,
  initial: Partial<IModelRef> = {}
): Promise<IModelRef | null> {
  const result = await showDialog<IModelRef>({
    title: trans.__('JumpStart: Open model'),
    body: new OpenModelBody(trans, initial),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Open') })
    ],
    focusNodeSelector: 'input'
  });
  if (!result.button.accept || !result.value) {
    return null;
  }
  return result.value;
}
