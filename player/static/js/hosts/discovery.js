// Finding the LMS's SCORM API object, for the SCORM 1.2 (`API`) and 2004 (`API_1484_11`)
// hosts.
//
// The walk is ADL's: look at the content's own window, then up its chain of parents, then
// up the chain of the window that opened it (the LMS may launch content in a pop-up).
// Every walk is bounded (ADL's 2004 algorithm stops after 500 parents). A window from
// another origin throws on property access: it is skipped, and its parent is tried.
//
// LMS players often inject the API after the content has started loading, so
// `waitForApi` looks again every `intervalMs` until `timeoutMs` has passed.

/** Parents an ADL walk looks at before it gives up (ADL's SCORM 2004 algorithm). */
export const MAX_PARENTS = 500;

/** How long and how often `waitForApi` looks by default (milliseconds). */
export const WAIT_DEFAULTS = Object.freeze({ timeoutMs: 5000, intervalMs: 250 });

function read(win, key) {
  try {
    return win[key];
  } catch {
    return undefined; // another origin's window
  }
}

function apiOf(win, name) {
  const api = read(win, name);
  return api !== null && typeof api === "object" ? api : null;
}

/** The API named `name` on `win` or one of its parents (at most `maxParents` up), or null. */
export function scanParents(win, name, maxParents = MAX_PARENTS) {
  let current = win;
  for (let depth = 0; current && depth <= maxParents; depth += 1) {
    const api = apiOf(current, name);
    if (api) return api;
    const parent = read(current, "parent");
    if (!parent || parent === current) return null;
    current = parent;
  }
  return null;
}

/**
 * The API named `name` for content in `win`: its own window and parents first, then the
 * chain of `win.opener`, then that of `win.top.opener`. Null when there is none.
 */
export function findApi(win, name, { maxParents = MAX_PARENTS } = {}) {
  const found = scanParents(win, name, maxParents);
  if (found) return found;
  const openers = [read(win, "opener"), read(read(win, "top") || win, "opener")];
  for (const opener of openers) {
    if (opener) {
      const api = scanParents(opener, name, maxParents);
      if (api) return api;
    }
  }
  return null;
}

/**
 * Resolve to the API named `name` as soon as `findApi` sees it, looking again every
 * `intervalMs` for up to `timeoutMs`; resolve to null when it never appears.
 */
export function waitForApi(win, name, options = {}) {
  const { timeoutMs, intervalMs } = { ...WAIT_DEFAULTS, ...options };
  const maxParents = options.maxParents ?? MAX_PARENTS;
  const first = findApi(win, name, { maxParents });
  if (first || timeoutMs <= 0) return Promise.resolve(first);
  const timers = options.timers ?? win;
  return new Promise((resolve) => {
    let waited = 0;
    const look = () => {
      waited += intervalMs;
      const api = findApi(win, name, { maxParents });
      if (api || waited >= timeoutMs) resolve(api);
      else timers.setTimeout(look, intervalMs);
    };
    timers.setTimeout(look, intervalMs);
  });
}
