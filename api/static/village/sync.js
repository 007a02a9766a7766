// Sends what waits, oldest first, one at a time. A lost answer is harmless: the entry's id,
// made on the phone, makes the server store a resend as nothing new.
import { allEntries, allTrips, putEntry, putTrip } from "./entries.js";

export class SignInNeeded extends Error {}

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]').content;
}

export async function send(method, url, body, contentType) {
  const response = await fetch(url, {
    method,
    body,
    credentials: "same-origin",
    headers: { "Content-Type": contentType, "X-CSRF-Token": csrfToken() },
  });
  if (response.status === 401) throw new SignInNeeded();
  let answer = null;
  try {
    answer = await response.json();
  } catch {
    answer = null;
  }
  return { status: response.status, answer };
}

function refusal(answer) {
  return (answer && answer.error && answer.error.message) || "refused";
}

// Where a sent item goes: to `next` when the server took it, to "refused" with the server's
// words when it refused it; false when the answer says to try again later.
function settle(item, status, answer, accepted, next) {
  if (accepted.includes(status)) {
    item.stored = answer;
    item.state = next;
  } else if (status >= 400 && status < 500) {
    item.state = "refused";
    item.problem = refusal(answer);
  } else {
    return false;
  }
  return true;
}

async function sendEntry(entry) {
  if (entry.state === "waiting") {
    const { status, answer } = await send(
      "POST", "/api/v1/deliveries", JSON.stringify(entry.body), "application/json",
    );
    if (!settle(entry, status, answer, [200, 201], entry.photo ? "photo" : "sent")) return false;
    await putEntry(entry);
  }
  if (entry.state === "photo") {
    const { status, answer } = await send(
      "PUT", `/api/v1/deliveries/${entry.id}/photo`, entry.photo, "image/jpeg",
    );
    if (!settle(entry, status, answer, [200], "sent")) return false;
    await putEntry(entry);
  }
  return true;
}

// A trip goes after the deliveries it carries (sent first, in the same round).
async function sendTrip(trip) {
  const { status, answer } = await send(
    "POST", "/api/v1/trips", JSON.stringify(trip.body), "application/json",
  );
  if (!settle(trip, status, answer, [200, 201], "sent")) return false;
  await putTrip(trip);
  return true;
}

// The day's deliveries the server holds for this point (those of the agent's other phones
// too), kept on this phone as sent entries so the day's list and receipts work offline.
export async function keepServerDay(day) {
  const response = await fetch(`/api/v1/deliveries?day=${day}`, { credentials: "same-origin" });
  if (!response.ok) return;
  const known = new Set((await allEntries()).map((entry) => entry.id));
  for (const stored of await response.json()) {
    if (known.has(stored.id)) continue;
    await putEntry({
      id: stored.id,
      code: stored.harvest_lot_code,
      day,
      state: "sent",
      photo: null,
      stored,
      body: {
        id: stored.id,
        farmer: stored.farmer,
        product: stored.product,
        variety: stored.variety,
        plot: stored.plot,
        harvest_date: stored.harvest_date,
        quantity: stored.quantity,
        unit: stored.unit,
        certificate: stored.certificate
          ? { number: stored.certificate.number, basis: stored.certificate.basis }
          : null,
        recorded_at: stored.recorded_at,
      },
    });
  }
}

let running = null;

// Resolves to "done", "offline" (the network failed; try again later) or "sign-in".
export function sendWaiting() {
  if (!running) {
    running = (async () => {
      try {
        for (const entry of (await allEntries()).reverse()) {
          if (entry.state !== "waiting" && entry.state !== "photo") continue;
          if (!(await sendEntry(entry))) return "offline";
        }
        for (const trip of (await allTrips()).reverse()) {
          if (trip.state !== "waiting") continue;
          if (!(await sendTrip(trip))) return "offline";
        }
        return "done";
      } catch (error) {
        return error instanceof SignInNeeded ? "sign-in" : "offline";
      } finally {
        running = null;
      }
    })();
  }
  return running;
}
