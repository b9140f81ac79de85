/**
 * The Python code the frontend runs in the sidebar kernel, as strings.
 *
 * The kernel side lives in `jumpstart_lab/lab/sidebar.py`; every value passed
 * to it goes through `pyString` (JSON string escapes are valid Python).
 */

import { LOCALE_PATTERN, MAX_VIEW_KEY, VIEW_KINDS } from './protocol.generated';

/**
 * The main-area views the kernel can show (`show_view`'s `view` argument),
 * and the longest view key the frontend accepts (a hub ARN plus a model id fit).
 */
export { MAX_VIEW_KEY, VIEW_KINDS };
export type ViewKind = (typeof VIEW_KINDS)[number];

/**
 * The user settings the sidebar passes to the kernel (schema/plugin.json).
 */
export interface ISidebarSettings {
  kernelName: string;
  notebookDir: string;
  preloadKernel: boolean;
}

export const DEFAULT_SETTINGS: ISidebarSettings = {
  kernelName: 'python3',
  notebookDir: '',
  preloadKernel: true
};

const MODULE = 'jumpstart_lab.lab.sidebar';

/**
 * A Python string literal for `value`.
 */
export function pyString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Whether `value` names a main-area view.
 */
export function isViewKind(value: unknown): value is ViewKind {
  return (
    typeof value === 'string' &&
    (VIEW_KINDS as readonly string[]).includes(value)
  );
}

/**
 * Whether `value` is a view key the kernel may be asked about.
 */
export function isViewKey(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_VIEW_KEY;
}

/**
 * The code that displays this tab's hub browser in the sidebar.
 *
 * `mainArea`: whether this frontend can show views in main-area tabs
 * (JupyterLab; not Notebook 7), so the kernel opens model pages there.
 */
export function bootstrapCode(
  clientId: string,
  settings: Pick<ISidebarSettings, 'notebookDir'>,
  locale: string,
  mainArea: boolean
): string {
  const language = LOCALE_PATTERN.test(locale) ? pyString(locale) : 'None';
  const args = [
    `client_id=${pyString(clientId)}`,
    `locale=${language}`,
    `notebook_dir=${pyString(settings.notebookDir)}`,
    `main_area=${mainArea ? 'True' : 'False'}`
  ].join(', ');
  return `from ${MODULE} import sidebar_widget\nsidebar_widget(${args});`;
}

/**
 * The code that makes this tab's hub browser show one model.
 */
export function openModelCode(
  clientId: string,
  hub: string,
  modelId: string
): string {
  const args = [clientId, hub, modelId].map(pyString).join(', ');
  return `from ${MODULE} import open_model\nopen_model(${args});`;
}

/**
 * The code that displays one main-area view's widget (its output goes to the
 * tab's output area); throws on an unknown view or an over-long key.
 */
export function showViewCode(
  clientId: string,
  view: ViewKind,
  key: string
): string {
  if (!isViewKind(view)) {
    throw new Error(`unknown view ${JSON.stringify(view)}`);
  }
  if (!isViewKey(key)) {
    throw new Error(`view key longer than ${MAX_VIEW_KEY} characters`);
  }
  const args = [clientId, view, key].map(pyString).join(', ');
  return `from ${MODULE} import show_view\nshow_view(${args});`;
}
