/** Polls `check` until it holds; fails with "timed out" after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Waits, if need be, until the current fixed window of `windowMs` (aligned on the epoch, as
 * `request_count_take` aligns them) has `needMs` left, so that requests counted together fall in one.
 */
export async function windowWithRoom(windowMs: number, needMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 200));
}
