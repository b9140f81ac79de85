import { UUID } from '@lumino/coreutils';

/**
 * The sessionStorage key of this browser tab's client id.
 */
const STORAGE_KEY = 'jumpstart-lab:client-id';

/**
 * What a client id looks like (the Python side checks the same pattern).
 */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

let cached: string | null = null;

/**
 * A per-tab id: the kernel keeps one hub browser per id and addresses file-open
 * requests to it, so a request is handled by the tab whose panel sent it.
 * sessionStorage survives reloads of the tab but is not shared with other tabs.
 */
export function clientId(): string {
  if (cached) {
    return cached;
  }
  let id: string | null = null;
  try {
    id = window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage disabled: fall back to an id that lives as long as the page.
  }
  if (!id || !CLIENT_ID_PATTERN.test(id)) {
    id = UUID.uuid4();
    try {
      window.sessionStorage.setItem(STORAGE_KEY, id);
    } catch {
      // Ignored, see above.
    }
  }
  cached = id;
  return id;
}
