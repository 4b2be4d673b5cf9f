import { describe, expect, it } from "@jest/globals";
import { createRunSlots } from "../../src/gateway/create-run-slots.js";

const never = new AbortController().signal;

describe("createRunSlots", () => {
  it("gives a run `limit` slots, then hands each freed one to the next in line", async () => {
    const slots = createRunSlots(2);
    expect(await slots.acquire(1, 1_000, never)).toBe(true);
    expect(await slots.acquire(1, 1_000, never)).toBe(true);
    // Another run has slots of its own.
    expect(await slots.acquire(2, 1_000, never)).toBe(true);
    const order: string[] = [];
    const third = slots.acquire(1, 1_000, never).then((got) => order.push(`third ${got}`));
    const fourth = slots.acquire(1, 1_000, never).then((got) => order.push(`fourth ${got}`));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    slots.release(1);
    await third;
    expect(order).toEqual(["third true"]);
    slots.release(1);
    await fourth;
    expect(order).toEqual(["third true", "fourth true"]);
  });

  it("gives up after its time or when the caller goes away, and frees nothing it did not take", async () => {
    const slots = createRunSlots(1);
    expect(await slots.acquire(1, 1_000, never)).toBe(true);
    const started = Date.now();
    expect(await slots.acquire(1, 50, never)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    const gone = new AbortController();
    const waiting = slots.acquire(1, 10_000, gone.signal);
    gone.abort();
    expect(await waiting).toBe(false);
    slots.release(1);
    expect(await slots.acquire(1, 1_000, never)).toBe(true);
    expect(await slots.acquire(1, 20, never)).toBe(false);
  });
});
