import { UUID } from '@lumino/coreutils';

/**
 * The sessionStorage key of this browser tab's client id.
 */
const STORAGE_KEY = 'jumpstart-lab:client-id';

/**
 * The channel on which the tabs of one browser profile check that their ids differ.
 */
const CHANNEL = 'jumpstart-lab:client-ids';

/**
 * How long a tab waits for another live tab to object to its id.
 */
const CLAIM_WAIT_MS = 250;

/**
 * What a client id looks like (the Python side checks the same pattern).
 */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

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
 * Resolves with this tab's id once no other live tab uses it.
 *
 * "Duplicate tab" copies sessionStorage, so the copy starts with the id of the
 * tab it came from. Each tab announces its id on a BroadcastChannel and
 * answers announcements of its own id; a tab whose announcement is answered
 * takes a fresh id. Call it before the id is first sent to the kernel.
 */
export function claimClientId(): Promise<string> {
  if (claimed) {
    return claimed;
  }
  const initial = clientId();
  if (typeof BroadcastChannel === 'undefined') {
    claimed = Promise.resolve(initial);
    return claimed;
  }
  const channel = new BroadcastChannel(CHANNEL);
  let settled = false;
  claimed = new Promise<string>(resolve => {
    channel.onmessage = (event: MessageEvent) => {
      const { type, id } = (event.data ?? {}) as Record<string, unknown>;
      if (type === 'claim' && id === cached) {
        channel.postMessage({ type: 'taken', id });
      } else if (type === 'taken' && id === cached && !settled) {
        cached = UUID.uuid4();
        store(cached);
        settled = true;
        resolve(cached);
      }
    };
    window.setTimeout(() => {
      if (!settled) {
        settled = true;
        resolve(clientId());
      }
    }, CLAIM_WAIT_MS);
    channel.postMessage({ type: 'claim', id: initial });
  });
  return claimed;
}
