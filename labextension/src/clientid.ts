import { UUID } from '@lumino/coreutils';

import { CLIENT_ID_PATTERN } from './protocol.generated';

export { CLIENT_ID_PATTERN };

/**
 * The sessionStorage key of this browser tab's client id.
 */
const STORAGE_KEY = 'jumpstart-lab:client-id';

/**
 * The sessionStorage key saying "a page of this tab is using the id now": set
 * while the page lives, removed when it goes (pagehide, reloads included).
 */
const LIVE_KEY = 'jumpstart-lab:client-id-live';

let cached: string | null = null;
let claimed: Promise<string> | null = null;

function store(id: string): void {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, id);
  } catch {
    // Storage disabled: the id lives as long as the page.
  }
}

/**
 * A per-tab id: the kernel keeps one hub browser per id and addresses file-open
 * requests to it, so a request is handled by the tab whose panel sent it.
 * sessionStorage survives reloads of the tab but is not shared with other tabs
 * (except when a tab is duplicated: see `claimClientId`).
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
    store(id);
  }
  cached = id;
  return id;
}

/**
 * Resolves with this tab's id, made unique among the live tabs.
 *
 * "Duplicate tab" copies sessionStorage, so the copy starts with the id of the
 * tab it came from. While a page uses its id it marks it live in
 * sessionStorage, and unmarks it when it goes (a reload included): a page that
 * finds its id marked live is a copy of a live tab, and takes a fresh id. Call
 * it before the id is first sent to the kernel.
 */
export function claimClientId(): Promise<string> {
  if (claimed) {
    return claimed;
  }
  let id = clientId();
  if (readLive() === id) {
    id = cached = UUID.uuid4();
    store(id);
  }
  markLive(id);
  window.addEventListener('pagehide', () => markLive(null));
  window.addEventListener('pageshow', event => {
    if (event.persisted) {
      markLive(cached); // back from the back-forward cache
    }
  });
  claimed = Promise.resolve(id);
  return claimed;
}

function readLive(): string | null {
  try {
    return window.sessionStorage.getItem(LIVE_KEY);
  } catch {
    return null;
  }
}

function markLive(id: string | null): void {
  try {
    if (id) {
      window.sessionStorage.setItem(LIVE_KEY, id);
    } else {
      window.sessionStorage.removeItem(LIVE_KEY);
    }
  } catch {
    // Storage disabled: nothing is copied to a duplicate either.
  }
}
